package dev.atrium.usage;

/**
 * How the statement of a closed month gets paid. Atrium ships {@link InvoiceCollector} and depends on nothing
 * more: a card processor would be another implementation handed to {@link Statements}.
 *
 * <p>{@link Statements} calls {@link #collect} once per namespace and month, from whichever node claimed it; after a
 * failure or a crash it calls again for the same statement, so an implementation that charges must be idempotent
 * on {@code (namespace, month)}.
 */
public interface PaymentCollector {
    /** Short name stored with each payment, e.g. {@code invoice}. */
    String method();

    /** How people pay, for the usage page: "by invoice: monthly statements, no card needed". */
    String description();

    /** Collects the statement's amount; throwing leaves it {@link Payment.Status#FAILED}, to be tried again. */
    Payment collect(Statement statement);
}
