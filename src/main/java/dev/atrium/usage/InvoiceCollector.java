package dev.atrium.usage;

/**
 * The default: no card processor. Each closed month gets an invoice reference the operator bills by, from the
 * statement; an operator records the payment with {@code atrium admin mark-paid}.
 */
public final class InvoiceCollector implements PaymentCollector {
    @Override
    public String method() {
        return "invoice";
    }

    @Override
    public String description() {
        return "by invoice: monthly statements, no card needed";
    }

    @Override
    public Payment collect(Statement statement) {
        // The same statement always gets the same reference, so collecting again after a crash changes nothing.
        String reference = "INV-" + statement.month().toString().replace("-", "") + "-" + statement.namespace();
        return new Payment(method(), reference, Payment.Status.INVOICED, null);
    }
}
