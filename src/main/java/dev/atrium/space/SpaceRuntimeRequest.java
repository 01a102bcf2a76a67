package dev.atrium.space;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrium.http.Errors;
import org.jspecify.annotations.Nullable;

/**
 * What creating or duplicating a Space may ask of its runtime besides its files ({@code hardware} and
 * {@code sleepTimeSeconds} in the body, as huggingface_hub sends them): read and checked before the Space is made, so
 * that a request the hub cannot meet makes nothing.
 */
public record SpaceRuntimeRequest(@Nullable String hardware, @Nullable Long sleepSeconds) {
    public static SpaceRuntimeRequest of(JsonNode body) {
        JsonNode hardware = body.get("hardware");
        if (hardware != null && !hardware.isNull() && !hardware.isTextual()) {
            throw new Errors.BadRequest("'hardware' must name a hardware, such as cpu-basic");
        }
        JsonNode seconds = body.get("sleepTimeSeconds");
        if (seconds != null && !seconds.isNull() && !seconds.canConvertToLong()) {
            throw new Errors.BadRequest("'sleepTimeSeconds' must be a whole number of seconds, or -1 for never");
        }
        return new SpaceRuntimeRequest(hardware == null || hardware.isNull() ? null : hardware.asText(),
                seconds == null || seconds.isNull() ? null : seconds.asLong());
    }
}
