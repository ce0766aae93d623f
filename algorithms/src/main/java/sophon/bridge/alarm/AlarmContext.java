package sophon.bridge.alarm;

/** What an alarm needs beyond the frame: the task's id, the device name, the algorithm type id. */
public record AlarmContext(String taskId, String srcId, int type) {}
