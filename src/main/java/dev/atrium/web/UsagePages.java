package dev.atrium.web;

import dev.atrium.auth.AccessPolicy;
import dev.atrium.auth.OrgRole;
import dev.atrium.auth.Principal;
import dev.atrium.http.Errors;
import dev.atrium.org.Organizations;
import dev.atrium.usage.Bandwidth;
import dev.atrium.usage.Statements;
import dev.atrium.usage.Statement;
import dev.atrium.usage.Usage;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Usage and billing for a user (their own) or an organization (its admins): storage now and over 90 days, the
 * limits an operator set, monthly statements as CSV and PDF. Payment is by invoice: statements only.
 */
public final class UsagePages {
    private static final int DAYS = 90;

    /** The chart: an SVG polyline of private and public storage, drawn on the server. */
    public record Chart(String privatePoints, String publicPoints, String max, String from, String to) {}

    private final Pages pages;
    private final Usage usage;
    private final AccessPolicy policy;
    private final Organizations orgs;
    private final Bandwidth bandwidth;
    private final Statements statements;

    UsagePages(Pages pages, Usage usage, AccessPolicy policy, Organizations orgs, Bandwidth bandwidth,
               Statements statements) {
        this.bandwidth = bandwidth;
        this.statements = statements;
        this.pages = pages;
        this.usage = usage;
        this.policy = policy;
        this.orgs = orgs;
    }

    void register(RoutesConfig routes) {
        routes.get("/settings/usage", pages.page(ctx -> page(ctx, own(ctx))));
        routes.get("/settings/usage/statement.{format}", pages.page(ctx -> statement(ctx, own(ctx))));
        routes.get("/organizations/{org}/usage", pages.page(ctx -> page(ctx, administered(ctx))));
        routes.get("/organizations/{org}/usage/statement.{format}", pages.page(ctx -> statement(ctx, administered(ctx))));
    }

    private static String own(Context ctx) {
        return SignedIn.require(ctx).user().name();
    }

    private String administered(Context ctx) {
        Principal caller = SignedIn.require(ctx);
        String org = ctx.pathParam("org");
        if (orgs.byName(org).isEmpty()) {
            throw new Errors.NotFound("No such organization");
        }
        if (!caller.user().isAdmin() && policy.role(caller, org).filter(r -> r == OrgRole.ADMIN).isEmpty()) {
            throw new Errors.Forbidden("Only the admins of " + org + " can see its usage");
        }
        return org;
    }

    private void page(Context ctx, String namespace) {
        Usage.Storage now = usage.storage(namespace);
        Usage.Limits limits = usage.limits(namespace);
        List<Usage.Day> days = new ArrayList<>(usage.days(namespace, usage.today() - DAYS));
        days.removeIf(d -> d.day() == usage.today());
        days.add(new Usage.Day(usage.today(), now.privateBytes(), now.publicBytes()));
        Map<String, Object> params = new HashMap<>();
        params.put("frame", Frame.of(ctx, "Usage · " + namespace));
        params.put("namespace", namespace);
        params.put("base", ctx.path());
        params.put("privateBytes", Numbers.bytes(now.privateBytes()));
        params.put("publicBytes", Numbers.bytes(now.publicBytes()));
        params.put("privateRepos", usage.privateRepos(namespace));
        params.put("limitStorage", limits.privateStorage() == null ? "no limit" : Numbers.bytes(limits.privateStorage()));
        params.put("limitFile", limits.maxFileSize() == null ? "no limit" : Numbers.bytes(limits.maxFileSize()));
        params.put("limitRepos", limits.maxPrivateRepos() == null ? "no limit" : limits.maxPrivateRepos().toString());
        params.put("chart", chart(days));
        params.put("payment", statements.collector().description());
        params.put("closed", statements.closed(namespace));
        params.put("month", statements.currentMonth().toString());
        params.put("served", Numbers.bytes(bandwidth.thisMonth(namespace)));
        pages.render(ctx, 200, "usage.jte", params);
    }

    static Chart chart(List<Usage.Day> recorded) {
        List<Usage.Day> days = new ArrayList<>(recorded);
        if (days.size() == 1) { // one day is a flat line across the chart, not an invisible point
            Usage.Day only = days.get(0);
            days.add(0, new Usage.Day(only.day() - 1, only.privateBytes(), only.publicBytes()));
        }
        long max = Math.max(1, days.stream().mapToLong(d -> Math.max(d.privateBytes(), d.publicBytes())).max().orElse(1));
        int first = days.get(0).day();
        int span = Math.max(1, days.get(days.size() - 1).day() - first);
        StringBuilder priv = new StringBuilder();
        StringBuilder pub = new StringBuilder();
        for (Usage.Day d : days) {
            double x = 600.0 * (d.day() - first) / span;
            priv.append(String.format(java.util.Locale.ROOT, "%.1f,%.1f ", x, 200 - 190.0 * d.privateBytes() / max));
            pub.append(String.format(java.util.Locale.ROOT, "%.1f,%.1f ", x, 200 - 190.0 * d.publicBytes() / max));
        }
        return new Chart(priv.toString().strip(), pub.toString().strip(), Numbers.bytes(max),
                LocalDate.ofEpochDay(first).toString(), LocalDate.ofEpochDay(days.get(days.size() - 1).day()).toString());
    }

    private void statement(Context ctx, String namespace) {
        YearMonth month;
        try {
            month = YearMonth.parse(Optional.ofNullable(ctx.queryParam("month"))
                    .orElse(statements.currentMonth().toString()));
        } catch (DateTimeParseException e) {
            throw new Errors.BadRequest("'month' is a month like 2026-11");
        }
        Statement statement = statements.of(namespace, month);
        String file = "atrium-" + namespace + "-" + month;
        switch (ctx.pathParam("format")) {
            case "csv" -> {
                ctx.header("Content-Disposition", "attachment; filename=\"" + file + ".csv\"");
                ctx.contentType("text/csv; charset=utf-8").result(statement.csv());
            }
            case "pdf" -> {
                ctx.header("Content-Disposition", "attachment; filename=\"" + file + ".pdf\"");
                ctx.contentType("application/pdf").result(statement.pdf());
            }
            default -> throw new Errors.NotFound("Statements come as .csv or .pdf");
        }
    }
}
