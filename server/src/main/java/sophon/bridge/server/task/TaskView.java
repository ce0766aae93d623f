package sophon.bridge.server.task;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A task as {@code /task/query} and {@code /task/list} show it: the contract's {@code TaskID} and
 * {@code Status} (1 running, 0 stopped) first, then what an operator needs to see why.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskView(
        @JsonProperty("TaskID") String taskId,
        @JsonProperty("Status") int status,
        @JsonProperty("State") String state,
        @JsonProperty("SrcID") String srcId,
        @JsonProperty("Address") String maskedAddress,
        @JsonProperty("StartTime") String startTime,
        @JsonProperty("RestartCount") int restartCount,
        @JsonProperty("LastError") String lastError,
        @JsonProperty("Algorithms") List<EntryView> algorithms) {}
