// The Event Grid system topics and subscriptions that deliver relay-link's events to its Azure
// Functions (docs/azure.md). Deploy into the resource group of the link's Private Link Service
// and Key Vault (the link spec's azure.resourceGroup):
//
//   az deployment group create --resource-group relay-link-rg \
//     --template-file deploy/azure/event-subscriptions.bicep \
//     --parameters functionAppName=relay-link-functions privateLinkServiceName=relay-forwarder-pls \
//                  keyVaultName=relay-link-kv deadLetterStorageAccountName=<account>
//
// A source can have one system topic only: if the resource group or the vault already has one,
// pass its name in resourceGroupTopicName / keyVaultTopicName and the subscriptions join it.

@description('The function app that runs relay-link\'s azure-functions package.')
param functionAppName string

@description('The function app\'s resource group, when it is not this one.')
param functionAppResourceGroup string = resourceGroup().name

@description('The link\'s Private Link Service in this resource group (spec azure.privateLinkService).')
param privateLinkServiceName string

@description('The link\'s Key Vault in this resource group (spec azure.keyVault.name).')
param keyVaultName string

@description('The storage account (in this resource group) whose container keeps events Event Grid gave up delivering.')
param deadLetterStorageAccountName string

param deadLetterContainerName string = 'relay-link-dead-letters'

@description('Both schemas are accepted by the functions; CloudEvents 1.0 is the standard one.')
@allowed([
  'EventGridSchema'
  'CloudEventSchemaV1_0'
])
param eventDeliverySchema string = 'CloudEventSchemaV1_0'

param resourceGroupTopicName string = 'relay-link-${resourceGroup().name}'
param keyVaultTopicName string = 'relay-link-${keyVaultName}'

resource functionApp 'Microsoft.Web/sites@2023-12-01' existing = {
  name: functionAppName
  scope: resourceGroup(functionAppResourceGroup)
}

resource keyVault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource deadLetterAccount 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: deadLetterStorageAccountName
}

resource deadLetterBlobs 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' existing = {
  parent: deadLetterAccount
  name: 'default'
}

resource deadLetterContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: deadLetterBlobs
  name: deadLetterContainerName
}

// A failed delivery (the function threw: ARM, Key Vault or AKS answered with an error, or the link
// was busy) is retried with Event Grid's backoff for up to a day, then kept in the container.
// Refused events (malformed, foreign) return normally and are never retried.
var retryPolicy = {
  maxDeliveryAttempts: 30
  eventTimeToLiveInMinutes: 1440
}

var deadLetterDestination = {
  endpointType: 'StorageBlob'
  properties: {
    resourceId: deadLetterAccount.id
    blobContainerName: deadLetterContainer.name
  }
}

// ARM's events for the resources of this resource group.
resource resourceGroupTopic 'Microsoft.EventGrid/systemTopics@2022-06-15' = {
  name: resourceGroupTopicName
  location: 'global'
  properties: {
    source: resourceGroup().id
    topicType: 'Microsoft.Resources.ResourceGroups'
  }
}

// Only successful writes of private endpoint connections on the link's Private Link Service.
resource privateEndpointApproval 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2022-06-15' = {
  parent: resourceGroupTopic
  name: 'relay-link-private-endpoint-approval'
  properties: {
    destination: {
      endpointType: 'AzureFunction'
      properties: {
        resourceId: '${functionApp.id}/functions/PrivateEndpointApproval'
        maxEventsPerBatch: 1
        preferredBatchSizeInKilobytes: 64
      }
    }
    eventDeliverySchema: eventDeliverySchema
    filter: {
      includedEventTypes: [
        'Microsoft.Resources.ResourceWriteSuccess'
      ]
      subjectBeginsWith: '${resourceGroup().id}/providers/Microsoft.Network/privateLinkServices/${privateLinkServiceName}/privateEndpointConnections/'
      isSubjectCaseSensitive: false
      advancedFilters: [
        {
          operatorType: 'StringIn'
          key: 'data.operationName'
          values: [
            'Microsoft.Network/privateLinkServices/privateEndpointConnections/write'
          ]
        }
      ]
    }
    retryPolicy: retryPolicy
    deadLetterDestination: deadLetterDestination
  }
}

// The vault's events.
resource keyVaultTopic 'Microsoft.EventGrid/systemTopics@2022-06-15' = {
  name: keyVaultTopicName
  location: keyVault.location
  properties: {
    source: keyVault.id
    topicType: 'Microsoft.KeyVault.vaults'
  }
}

// Expiry of the workloads' client certificates only: relay-link names them client-<namespace>--<serviceaccount>.
resource clientCertificateRotation 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2022-06-15' = {
  parent: keyVaultTopic
  name: 'relay-link-client-certificate-rotation'
  properties: {
    destination: {
      endpointType: 'AzureFunction'
      properties: {
        resourceId: '${functionApp.id}/functions/ClientCertificateRotation'
        maxEventsPerBatch: 1
        preferredBatchSizeInKilobytes: 64
      }
    }
    eventDeliverySchema: eventDeliverySchema
    filter: {
      includedEventTypes: [
        'Microsoft.KeyVault.CertificateNearExpiry'
        'Microsoft.KeyVault.CertificateExpired'
      ]
      subjectBeginsWith: 'client-'
      isSubjectCaseSensitive: false
    }
    retryPolicy: retryPolicy
    deadLetterDestination: deadLetterDestination
  }
}

output privateEndpointApprovalSubscription string = privateEndpointApproval.id
output clientCertificateRotationSubscription string = clientCertificateRotation.id
