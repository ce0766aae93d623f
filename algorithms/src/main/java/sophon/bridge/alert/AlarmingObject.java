package sophon.bridge.alert;

/** Placeholder: an object of a frame that raises an alarm. */
public final class AlarmingObject {
}
