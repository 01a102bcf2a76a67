package dev.atrium.viewer;

import dev.atrium.http.HubException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code where} and {@code orderby} parameters of {@code /filter}, parsed into SQL of Atrium's own. The public
 * viewer pastes them into its SQL after refusing a few symbols; here they must follow a small grammar, so nothing
 * but comparisons of the split's columns and literal values reaches DuckDB, and every literal is a bound parameter:
 *
 * <pre>
 * condition := term (OR term)*          term := factor (AND factor)*       factor := NOT factor | '(' condition ')' | test
 * test      := operand (op operand | IS [NOT] NULL | [NOT] (LIKE | ILIKE) text | [NOT] IN '(' literal, ... ')'
 *              | [NOT] BETWEEN literal AND literal)
 * op        := = | == | != | &lt;&gt; | &lt; | &lt;= | &gt; | &gt;=     operand := column | literal
 * column    := "double-quoted name" | bare_name                literal := 'text' | number | TRUE | FALSE
 * orderby   := column [ASC | DESC] (, column [ASC | DESC])*
 * </pre>
 * Keywords are case-insensitive; quotes are doubled to include them. Columns must be the split's.
 */
public final class RowFilter {
    /** SQL with {@code ?} for each of {@code params}, in order. */
    public record Sql(String text, List<Object> params) {}

    /** Refused {@code where} or {@code orderby}: the public viewer's answer, 422 InvalidParameter. */
    public static final class InvalidFilter extends HubException {
        private static final long serialVersionUID = 1L;
        public InvalidFilter(String message) {
            super(message);
        }
        @Override public int status() { return 422; }
        @Override public String errorCode() { return "InvalidParameter"; }
    }

    /** Longer conditions are refused before parsing. */
    static final int MAX_LENGTH = 2000;
    /** Nesting deeper than this is refused: the parser recurses once per level. */
    private static final int MAX_DEPTH = 32;

    private enum Kind { NAME, QUOTED, TEXT, NUMBER, SYMBOL, END }

    private record Token(Kind kind, String text, int at) {
        boolean isWord(String word) {
            return kind == Kind.NAME && text.equalsIgnoreCase(word);
        }

        boolean isSymbol(String symbol) {
            return kind == Kind.SYMBOL && text.equals(symbol);
        }
    }

    private final List<Token> tokens;
    private final Set<String> columns;
    private final String parameter;
    private final List<Object> params = new ArrayList<>();
    private int pos;
    private int depth;

    private RowFilter(String input, Set<String> columns, String parameter) {
        if (input.length() > MAX_LENGTH) {
            throw new InvalidFilter("Parameter '" + parameter + "' has at most " + MAX_LENGTH + " characters");
        }
        this.parameter = parameter;
        this.tokens = tokens(input, parameter);
        this.columns = columns;
    }

    /** {@code where} as a SQL condition over {@code columns}. */
    public static Sql where(String where, Set<String> columns) {
        RowFilter p = new RowFilter(where, columns, "where");
        String sql = p.condition();
        p.expectEnd();
        return new Sql(sql, List.copyOf(p.params));
    }

    /** {@code orderby} as a SQL ORDER BY list over {@code columns} (no parameters). */
    public static String orderBy(String orderBy, Set<String> columns) {
        RowFilter p = new RowFilter(orderBy, columns, "orderby");
        List<String> keys = new ArrayList<>();
        do {
            String column = p.column(p.next());
            Token direction = p.peek();
            if (direction.isWord("ASC") || direction.isWord("DESC")) {
                p.pos++;
                column += " " + direction.text().toUpperCase(Locale.ROOT);
            }
            keys.add(column);
        } while (p.accept(","));
        p.expectEnd();
        return String.join(", ", keys);
    }

    private String condition() {
        if (++depth > MAX_DEPTH) {
            throw invalid("nests deeper than " + MAX_DEPTH + " levels", peek());
        }
        StringBuilder sql = new StringBuilder(term());
        while (peek().isWord("OR")) {
            pos++;
            sql.append(" OR ").append(term());
        }
        depth--;
        return sql.toString();
    }

    private String term() {
        StringBuilder sql = new StringBuilder(factor());
        while (peek().isWord("AND")) {
            pos++;
            sql.append(" AND ").append(factor());
        }
        return sql.toString();
    }

    private String factor() {
        if (peek().isWord("NOT")) {
            pos++;
            if (++depth > MAX_DEPTH) {
                throw invalid("nests deeper than " + MAX_DEPTH + " levels", peek());
            }
            String inner = factor();
            depth--;
            return "NOT (" + inner + ")";
        }
        if (accept("(")) {
            String inner = condition();
            expect(")");
            return "(" + inner + ")";
        }
        return test();
    }

    private String test() {
        String left = operand(next());
        Token t = peek();
        if (t.isWord("IS")) {
            pos++;
            boolean not = acceptWord("NOT");
            Token n = next();
            if (!n.isWord("NULL")) {
                throw invalid("expected NULL", n);
            }
            return left + (not ? " IS NOT NULL" : " IS NULL");
        }
        boolean not = acceptWord("NOT");
        t = next();
        if (t.isWord("LIKE") || t.isWord("ILIKE")) {
            Token pattern = next();
            if (pattern.kind() != Kind.TEXT) {
                throw invalid("expected a 'quoted' pattern", pattern);
            }
            params.add(pattern.text());
            return left + (not ? " NOT " : " ") + t.text().toUpperCase(Locale.ROOT) + " ?";
        }
        if (t.isWord("IN")) {
            expect("(");
            List<String> items = new ArrayList<>();
            do {
                items.add(literal(next()));
            } while (accept(","));
            expect(")");
            return left + (not ? " NOT IN (" : " IN (") + String.join(", ", items) + ")";
        }
        if (t.isWord("BETWEEN")) {
            String low = literal(next());
            Token and = next();
            if (!and.isWord("AND")) {
                throw invalid("expected AND", and);
            }
            return left + (not ? " NOT BETWEEN " : " BETWEEN ") + low + " AND " + literal(next());
        }
        if (not) {
            throw invalid("expected LIKE, ILIKE, IN or BETWEEN after NOT", t);
        }
        String op = switch (t.kind() == Kind.SYMBOL ? t.text() : "") {
            case "=", "==" -> "=";
            case "!=", "<>" -> "<>";
            case "<", "<=", ">", ">=" -> t.text();
            default -> throw invalid("expected a comparison", t);
        };
        return left + " " + op + " " + operand(next());
    }

    private String operand(Token t) {
        return t.kind() == Kind.QUOTED || (t.kind() == Kind.NAME && !isLiteralWord(t)) ? column(t) : literal(t);
    }

    private static boolean isLiteralWord(Token t) {
        return t.isWord("TRUE") || t.isWord("FALSE");
    }

    private String column(Token t) {
        if (t.kind() != Kind.QUOTED && t.kind() != Kind.NAME) {
            throw invalid("expected a column", t);
        }
        if (!columns.contains(t.text())) {
            throw new InvalidFilter("Parameter '" + parameter + "': the split has no column '" + t.text() + "'");
        }
        return DuckTables.identifier(t.text());
    }

    private String literal(Token t) {
        switch (t.kind()) {
            case TEXT -> params.add(t.text());
            case NUMBER -> params.add(number(t.text()));
            case NAME -> {
                if (!isLiteralWord(t)) {
                    throw invalid("expected a value", t);
                }
                params.add(t.isWord("TRUE"));
            }
            default -> throw invalid("expected a value", t);
        }
        return "?";
    }

    /** Whole numbers as longs, others as decimals, exponents as doubles: types every DuckDB comparison takes. */
    private static Object number(String text) {
        if (text.indexOf('e') >= 0 || text.indexOf('E') >= 0) {
            return Double.parseDouble(text);
        }
        BigDecimal n = new BigDecimal(text);
        try {
            return text.indexOf('.') < 0 ? n.longValueExact() : n;
        } catch (ArithmeticException e) {
            return n;
        }
    }

    private Token peek() {
        return tokens.get(pos);
    }

    private Token next() {
        Token t = tokens.get(pos);
        if (t.kind() != Kind.END) {
            pos++;
        }
        return t;
    }

    private boolean accept(String symbol) {
        if (peek().isSymbol(symbol)) {
            pos++;
            return true;
        }
        return false;
    }

    private boolean acceptWord(String word) {
        if (peek().isWord(word)) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(String symbol) {
        Token t = next();
        if (!t.isSymbol(symbol)) {
            throw invalid("expected '" + symbol + "'", t);
        }
    }

    private void expectEnd() {
        if (peek().kind() != Kind.END) {
            throw invalid("unexpected text", peek());
        }
    }

    private InvalidFilter invalid(String what, Token at) {
        String found = at.kind() == Kind.END ? "the end" : "'" + at.text() + "'";
        return new InvalidFilter("Parameter '" + parameter + "' is invalid: " + what + ", found " + found
                + " at character " + (at.at() + 1));
    }

    private static List<Token> tokens(String in, String parameter) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < in.length()) {
            char c = in.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '\'' || c == '"') {
                StringBuilder text = new StringBuilder();
                int start = i++;
                while (true) {
                    if (i >= in.length()) {
                        throw new InvalidFilter("Parameter '" + parameter + "' is invalid: the quote at character "
                                + (start + 1) + " is not closed");
                    }
                    char d = in.charAt(i++);
                    if (d == c) {
                        if (i < in.length() && in.charAt(i) == c) {
                            text.append(c);
                            i++;
                            continue;
                        }
                        break;
                    }
                    text.append(d);
                }
                out.add(new Token(c == '\'' ? Kind.TEXT : Kind.QUOTED, text.toString(), start));
            } else if (Character.isDigit(c) || (c == '-' || c == '.') && i + 1 < in.length()
                    && (Character.isDigit(in.charAt(i + 1)) || in.charAt(i + 1) == '.')) {
                int start = i++;
                while (i < in.length() && (Character.isDigit(in.charAt(i)) || ".eE".indexOf(in.charAt(i)) >= 0
                        || (in.charAt(i) == '-' || in.charAt(i) == '+') && "eE".indexOf(in.charAt(i - 1)) >= 0)) {
                    i++;
                }
                String number = in.substring(start, i);
                try {
                    new BigDecimal(number);
                } catch (NumberFormatException e) {
                    throw new InvalidFilter("Parameter '" + parameter + "' is invalid: '" + number
                            + "' at character " + (start + 1) + " is not a number");
                }
                out.add(new Token(Kind.NUMBER, number, start));
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < in.length() && (Character.isLetterOrDigit(in.charAt(i)) || in.charAt(i) == '_')) {
                    i++;
                }
                out.add(new Token(Kind.NAME, in.substring(start, i), start));
            } else {
                String two = i + 1 < in.length() ? in.substring(i, i + 2) : "";
                String symbol = Set.of("<=", ">=", "<>", "!=", "==").contains(two) ? two
                        : "=<>(),".indexOf(c) >= 0 ? String.valueOf(c) : null;
                if (symbol == null) {
                    throw new InvalidFilter("Parameter '" + parameter + "' is invalid: '" + c + "' at character "
                            + (i + 1) + " is not allowed");
                }
                out.add(new Token(Kind.SYMBOL, symbol, i));
                i += symbol.length();
            }
        }
        out.add(new Token(Kind.END, "", in.length()));
        return out;
    }
}
