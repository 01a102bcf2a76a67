package dev.atrium.inference;

import dev.atrium.http.HubException;

/** The ways an inference request fails, each with the status the caller gets. */
public final class InferenceErrors {
    private InferenceErrors() {}

    /** The hub runs no models, or the model is of a kind it does not run. */
    public static final class NotServed extends HubException {
        private static final long serialVersionUID = 1L;
        private final int status;

        private NotServed(int status, String message) {
            super(message);
            this.status = status;
        }

        static NotServed off() {
            return new NotServed(503, "Inference is not enabled on this hub (start it with --inference-python)");
        }

        static NotServed model(String message) {
            return new NotServed(400, message);
        }

        @Override public int status() { return status; }
    }

    /** The inputs or parameters do not suit the task; the worker said why. */
    public static final class BadInputs extends HubException {
        private static final long serialVersionUID = 1L;
        BadInputs(String message) { super(message); }
        @Override public int status() { return 400; }
    }

    /** More requests wait than the hub lets queue. */
    public static final class Busy extends HubException {
        private static final long serialVersionUID = 1L;
        Busy() { super("The inference worker is busy; try again shortly"); }
        @Override public int status() { return 503; }
        @Override public java.util.Map<String, String> headers() { return java.util.Map.of("Retry-After", "5"); }
    }

    /** The caller has as many requests waiting or running as one caller may. */
    public static final class TooMany extends HubException {
        private static final long serialVersionUID = 1L;
        TooMany(int share) {
            super("You have " + share + " inference requests waiting or running; wait for one to finish");
        }
        @Override public int status() { return 429; }
        @Override public java.util.Map<String, String> headers() { return java.util.Map.of("Retry-After", "2"); }
    }

    /** The request ran past the timeout; the worker was restarted. */
    public static final class TimedOut extends HubException {
        private static final long serialVersionUID = 1L;
        TimedOut(java.time.Duration limit) {
            super("Inference took longer than " + limit.toSeconds() + " s and was stopped");
        }
        @Override public int status() { return 504; }
    }

    /** The worker failed while running a model that loaded. */
    public static final class Failed extends HubException {
        private static final long serialVersionUID = 1L;
        Failed(String message) { super(message); }
        @Override public int status() { return 500; }
    }
}
