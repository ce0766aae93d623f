package sophon.bridge.server.task;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/** One algorithm entry as {@code /task/query} and {@code /task/list} show it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EntryView(
        @JsonProperty("Index") int index,
        @JsonProperty("Type") int type,
        @JsonProperty("Algorithm") String algorithm,
        @JsonProperty("State") String state,
        @JsonProperty("BusinessLogicPort") int businessLogicPort,
        @JsonProperty("StreamListenPort") int streamListenPort,
        @JsonProperty("BusinessLogicPid") Long businessLogicPid,
        @JsonProperty("StreamPid") Long streamPid,
        @JsonProperty("RestartCount") int restartCount,
        @JsonProperty("LastError") String lastError,
        @JsonProperty("Counters") JsonNode counters) {}
