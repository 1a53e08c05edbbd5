# The SAM transform, offline, as cfn-lint runs it: template.yaml in (argument), the CloudFormation
# template CloudFormation would deploy out (stdout). Used by SnapStartTest; needs aws-sam-translator
# and cfn-lint, which scripts/test provides.
import json, sys
from cfnlint.decode import decode
from samtranslator.translator.transform import transform
template, errors = decode(sys.argv[1])
if errors:
    sys.exit("cannot read %s: %s" % (sys.argv[1], errors))
# Local zips, as sam deploy uploads them: the translator wants S3 locations.
def upload(node, key):
    if isinstance(node, dict) and isinstance(node.get(key), str):
        node[key] = "s3://relay-link-artifacts/" + node[key]
upload(template.get("Globals", {}).get("Function", {}), "CodeUri")
for resource in template["Resources"].values():
    upload(resource.get("Properties", {}), "CodeUri")
    upload(resource.get("Properties", {}), "ContentUri")
class NoManagedPolicies:
    def load(self):
        return {}
print(json.dumps(transform(template, {"AWS::Region": "eu-west-1"}, NoManagedPolicies())))
