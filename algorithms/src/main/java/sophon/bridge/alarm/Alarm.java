package sophon.bridge.alarm;

/** Placeholder: one application-web alarm. */
public final class Alarm {
}
