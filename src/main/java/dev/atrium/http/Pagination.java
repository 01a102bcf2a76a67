package dev.atrium.http;

import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code Link: <absolute-url>; rel="next"} pagination. The next URL repeats every query parameter of the request
 * (clients do not re-add them) with the cursor replaced, and is absolute on the base URL (relative ones crash both
 * clients).
 */
public final class Pagination {
    private Pagination() {}

    public static void linkNext(Context ctx, BaseUrl baseUrl, String cursorParam, String cursorValue) {
        List<String> kept = new ArrayList<>();
        String query = ctx.req().getQueryString();
        if (query != null) {
            for (String pair : query.split("&")) {
                String key = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
                if (!key.equals(cursorParam) && !pair.isEmpty()) {
                    kept.add(pair);
                }
            }
        }
        kept.add(cursorParam + "=" + URLEncoder.encode(cursorValue, StandardCharsets.UTF_8));
        String url = baseUrl.of(ctx) + ctx.req().getRequestURI() + "?" + String.join("&", kept);
        ctx.header("Link", "<" + url + ">; rel=\"next\"");
    }

    /** A non-negative integer cursor or limit from the query; {@code fallback} when absent. */
    public static int intParam(Context ctx, String name, int fallback, int max) {
        String value = ctx.queryParam(name);
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed < 0) {
                throw new Errors.BadRequest("'" + name + "' must not be negative");
            }
            return Math.min(parsed, max);
        } catch (NumberFormatException e) {
            throw new Errors.BadRequest("'" + name + "' must be a whole number");
        }
    }

    public static boolean boolParam(Context ctx, String name) {
        String value = ctx.queryParam(name);
        return value != null && (value.equals("true") || value.equals("1"));
    }
}
