package sophon.bridge.server.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Body of {@code /task/query} and {@code /task/delete}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TaskIdRequest(@JsonProperty("TaskID") String taskId) {}
