package dev.atrium.web;

import java.util.Locale;

/** Numbers as the pages print them. */
public final class Numbers {
    private Numbers() {}

    /** 1234567 → "1,234,567". */
    public static String grouped(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** 7241732096 → "7.24B", as parameter counts are shown. */
    public static String compact(long n) {
        if (n >= 1_000_000_000L) {
            return trim(n / 1e9) + "B";
        }
        if (n >= 1_000_000L) {
            return trim(n / 1e6) + "M";
        }
        if (n >= 1_000L) {
            return trim(n / 1e3) + "k";
        }
        return Long.toString(n);
    }

    /** 1536 → "1.54 kB": decimal units, as the Hub shows file sizes. */
    public static String bytes(long n) {
        if (n < 1000) {
            return n + " Bytes";
        }
        String[] units = {"kB", "MB", "GB", "TB", "PB"};
        double value = n;
        int unit = -1;
        while (value >= 1000 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return trim(value) + " " + units[unit];
    }

    private static String trim(double value) {
        String text = String.format(Locale.ROOT, value >= 100 ? "%.0f" : value >= 10 ? "%.1f" : "%.2f", value);
        return text.contains(".") ? text.replaceAll("0+$", "").replaceAll("\\.$", "") : text;
    }
}
