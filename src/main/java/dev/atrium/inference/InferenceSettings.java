package dev.atrium.inference;

import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How the hub runs models for the inference API and the model pages' widget.
 *
 * @param python     the Python that runs the worker (its environment has {@code transformers} and {@code torch});
 *                   null turns inference off
 * @param modelBytes the largest model, counting the files a pipeline loads, that the hub will load
 * @param timeout    how long one request may run before the worker is restarted and the caller gets 504
 * @param waiting    how many requests may wait for the worker before more are turned away with 503
 */
public record InferenceSettings(@Nullable Path python, long modelBytes, Duration timeout, int waiting) {
    public static final InferenceSettings OFF = new InferenceSettings(null, 2_000_000_000L, Duration.ofMinutes(2), 8);

    public InferenceSettings {
        if (modelBytes <= 0 || timeout.isNegative() || timeout.isZero() || waiting < 0) {
            throw new IllegalArgumentException("inference limits must be positive");
        }
    }

    public InferenceSettings withPython(@Nullable Path python) {
        return new InferenceSettings(python, modelBytes, timeout, waiting);
    }

    public boolean enabled() {
        return python != null;
    }
}
