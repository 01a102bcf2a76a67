package dev.atrium.usage;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A monthly statement: storage used each day of the month, bytes served, the limits, and once the month is closed
 * its payment. As CSV (the daily figures), and as a one-page PDF written here (plain text in Courier needs no PDF
 * library).
 */
public record Statement(String namespace, YearMonth month, List<Usage.Day> days, Usage.Limits limits,
                        java.util.Map<Integer, Long> bandwidthByDay, @Nullable Payment payment) {
    public Statement withPayment(Payment paid) {
        return new Statement(namespace, month, days, limits, bandwidthByDay, paid);
    }

    public String csv() {
        StringBuilder out = new StringBuilder("date,private_bytes,public_bytes,bytes_served\n");
        for (Usage.Day d : days) {
            out.append(LocalDate.ofEpochDay(d.day())).append(',').append(d.privateBytes()).append(',')
                    .append(d.publicBytes()).append(',').append(bandwidthByDay.getOrDefault(d.day(), 0L)).append('\n');
        }
        return out.toString();
    }

    public long bytesServed() {
        return bandwidthByDay.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The average of the recorded days, in GB-months: what an invoice for storage would bill. */
    public double privateGbMonths() {
        return days.isEmpty() ? 0 : days.stream().mapToLong(Usage.Day::privateBytes).average().orElse(0) / 1e9;
    }

    public byte[] pdf() {
        List<String> lines = new ArrayList<>();
        lines.add("Atrium usage statement");
        lines.add(namespace + ", " + month);
        lines.add("");
        lines.add(String.format(Locale.ROOT, "Private storage, average: %.3f GB-months", privateGbMonths()));
        lines.add("Private storage limit: " + (limits.privateStorage() == null ? "none" : limits.privateStorage() + " bytes"));
        lines.add("Bytes served: " + bytesServed());
        lines.add("Payment: " + (payment == null ? "open until the month ends" : payment.describe()));
        lines.add("");
        lines.add("date          private bytes      public bytes");
        for (Usage.Day d : days.subList(0, Math.min(days.size(), 40))) {
            lines.add(String.format(Locale.ROOT, "%s  %16d  %16d", LocalDate.ofEpochDay(d.day()), d.privateBytes(),
                    d.publicBytes()));
        }
        StringBuilder text = new StringBuilder("BT /F1 10 Tf 50 800 Td 14 TL\n");
        for (String line : lines) {
            text.append('(').append(line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")).append(") '\n");
        }
        text.append("ET");
        byte[] content = text.toString().getBytes(StandardCharsets.ISO_8859_1);
        String[] objects = {
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
                    + " /Resources << /Font << /F1 5 0 R >> >> >>",
            null, // the content stream
            "<< /Type /Font /Subtype /Type1 /BaseFont /Courier >>",
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Integer> offsets = new ArrayList<>();
        write(out, "%PDF-1.4\n");
        for (int i = 0; i < objects.length; i++) {
            offsets.add(out.size());
            write(out, (i + 1) + " 0 obj\n");
            if (objects[i] == null) {
                write(out, "<< /Length " + content.length + " >>\nstream\n");
                out.writeBytes(content);
                write(out, "\nendstream\n");
            } else {
                write(out, objects[i] + "\n");
            }
            write(out, "endobj\n");
        }
        int xref = out.size();
        write(out, "xref\n0 " + (objects.length + 1) + "\n0000000000 65535 f \n");
        for (int offset : offsets) {
            write(out, String.format(Locale.ROOT, "%010d 00000 n \n", offset));
        }
        write(out, "trailer\n<< /Size " + (objects.length + 1) + " /Root 1 0 R >>\nstartxref\n" + xref + "\n%%EOF\n");
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
