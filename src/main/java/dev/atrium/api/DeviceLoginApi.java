package dev.atrium.api;

import dev.atrium.auth.DeviceLogins;
import dev.atrium.http.BaseUrl;
import dev.atrium.http.Json;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The two endpoints of the device authorization grant (RFC 8628) that {@code hf auth login} calls for a browser login:
 * {@code POST /oauth/device} starts a request, {@code POST /oauth/token} is polled until it is decided. Both take form
 * bodies and answer with OAuth's own JSON (RFC 6749 §5): errors are {@code {"error": code, "error_description": ...}}
 * with status 400, which the client reads as "keep polling", "slow down" or a reason to stop. The person decides on
 * the web UI's page at {@code verification_uri}.
 */
public final class DeviceLoginApi {
    static final String DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
    private static final int MAX_CLIENT_ID = 200;

    private final DeviceLogins logins;
    private final BaseUrl baseUrl;

    public DeviceLoginApi(DeviceLogins logins, BaseUrl baseUrl) {
        this.logins = logins;
        this.baseUrl = baseUrl;
    }

    public void register(RoutesConfig routes) {
        routes.post("/oauth/device", this::start);
        routes.post("/oauth/token", this::token);
    }

    private void start(Context ctx) {
        String clientId = ctx.formParam("client_id");
        if (clientId == null || clientId.isBlank() || clientId.length() > MAX_CLIENT_ID) {
            refuse(ctx, 400, "invalid_request", "client_id is required (at most " + MAX_CLIENT_ID + " characters)");
            return;
        }
        DeviceLogins.Started started;
        try {
            started = logins.start(clientId);
        } catch (DeviceLogins.TooManyPending e) {
            refuse(ctx, 503, "temporarily_unavailable", e.getMessage());
            return;
        }
        String page = baseUrl.of(ctx) + "/device";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("device_code", started.deviceCode());
        body.put("user_code", started.userCode());
        body.put("verification_uri", page);
        body.put("verification_uri_complete", page + "?user_code=" + started.userCode());
        body.put("expires_in", started.expiresIn().toSeconds());
        body.put("interval", started.interval().toSeconds());
        ctx.header("Cache-Control", "no-store");
        Json.send(ctx, body);
    }

    private void token(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        if (!DEVICE_CODE_GRANT.equals(ctx.formParam("grant_type"))) {
            refuse(ctx, 400, "unsupported_grant_type", "Atrium issues tokens for the device code grant only ("
                    + DEVICE_CODE_GRANT + ")");
            return;
        }
        String deviceCode = ctx.formParam("device_code");
        String clientId = ctx.formParam("client_id");
        if (deviceCode == null || clientId == null) {
            refuse(ctx, 400, "invalid_request", "device_code and client_id are required");
            return;
        }
        DeviceLogins.Polled polled = logins.poll(deviceCode, clientId);
        if (polled instanceof DeviceLogins.Polled.Granted granted) {
            Json.send(ctx, Map.of("access_token", granted.token().secret(), "token_type", "bearer"));
        } else if (polled instanceof DeviceLogins.Polled.Refused refused) {
            refuse(ctx, 400, refused.refusal().code(), refused.refusal().description());
        }
    }

    private static void refuse(Context ctx, int status, String code, String description) {
        Json.send(ctx, status, Map.of("error", code, "error_description", description));
    }
}
