package dev.relaylink.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ConnectionBatchesTest {
    @Test
    void cutsIdsIntoConsecutiveBatchesInTheirOrder() {
        List<Integer> ids = IntStream.range(0, 2 * ConnectionBatches.PER_ACTION + 3).boxed().toList();

        List<List<Integer>> batches = ConnectionBatches.split(ids, ConnectionBatches.PER_ACTION);

        assertThat(batches).extracting(List::size).containsExactly(ConnectionBatches.PER_ACTION, ConnectionBatches.PER_ACTION, 3);
        assertThat(batches.stream().flatMap(List::stream).toList()).isEqualTo(ids);
        assertThat(ConnectionBatches.split(List.of(), ConnectionBatches.PER_CALL)).isEmpty();
    }

    @Test
    void aBatchHoldsAtLeastOneId() {
        assertThatThrownBy(() -> ConnectionBatches.split(List.of("vpce-1"), 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
