package dev.atrium.metrics;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code GET /metrics} tells Prometheus: the requests ({@link RequestMetrics}), the hub's own gauges (apps
 * running, payloads waiting, disk left) and the JVM's. Gauges are read when scraped; one that fails (the database
 * down) is left out of that scrape rather than failing it, so the rest still shows what is wrong.
 */
public final class Metrics {
    private static final Logger LOG = LoggerFactory.getLogger(Metrics.class);

    private record Gauge(String name, String help, DoubleSupplier value) {}

    private final String version;
    private final RequestMetrics requests = new RequestMetrics();
    private final List<Gauge> gauges = new CopyOnWriteArrayList<>();

    public Metrics(String version) {
        this.version = version;
    }

    public RequestMetrics requests() {
        return requests;
    }

    /** Adds a gauge read at each scrape; {@code name} in Prometheus's form ({@code atrium_..._bytes}). */
    public void gauge(String name, String help, DoubleSupplier value) {
        gauges.add(new Gauge(name, help, value));
    }

    /** Everything, in the text exposition format. */
    public String text() {
        MetricsText text = new MetricsText();
        text.metric("atrium_info", "gauge", "The running Atrium's version").sample("atrium_info",
                MetricsText.labels("version", version), 1);
        requests.writeTo(text);
        for (Gauge gauge : gauges) {
            double value;
            try {
                value = gauge.value().getAsDouble();
            } catch (RuntimeException e) {
                LOG.debug("Reading the gauge {}: {}", gauge.name(), e.toString());
                continue;
            }
            text.metric(gauge.name(), "gauge", gauge.help()).sample(gauge.name(), value);
        }
        jvm(text);
        return text.toString();
    }

    private static void jvm(MetricsText text) {
        var memory = ManagementFactory.getMemoryMXBean();
        MemoryUsage heap = memory.getHeapMemoryUsage();
        MemoryUsage nonHeap = memory.getNonHeapMemoryUsage();
        text.metric("jvm_memory_used_bytes", "gauge", "Memory the JVM uses, by area")
                .sample("jvm_memory_used_bytes", MetricsText.labels("area", "heap"), heap.getUsed())
                .sample("jvm_memory_used_bytes", MetricsText.labels("area", "nonheap"), nonHeap.getUsed());
        text.metric("jvm_memory_max_bytes", "gauge", "The most memory the JVM may use for its heap")
                .sample("jvm_memory_max_bytes", MetricsText.labels("area", "heap"), Runtime.getRuntime().maxMemory());
        text.metric("jvm_threads_live", "gauge", "Live JVM threads")
                .sample("jvm_threads_live", ManagementFactory.getThreadMXBean().getThreadCount());
        text.metric("jvm_gc_collection_seconds_total", "counter", "Time spent in garbage collection, by collector");
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            text.sample("jvm_gc_collection_seconds_total", MetricsText.labels("gc", gc.getName()),
                    Math.max(0, gc.getCollectionTime()) / 1000.0);
        }
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean process) {
            text.metric("process_cpu_seconds_total", "counter", "CPU time the process used")
                    .sample("process_cpu_seconds_total", process.getProcessCpuTime() / 1e9);
        }
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            text.metric("process_open_fds", "gauge", "Open file descriptors")
                    .sample("process_open_fds", unix.getOpenFileDescriptorCount());
            text.metric("process_max_fds", "gauge", "The most file descriptors the process may open")
                    .sample("process_max_fds", unix.getMaxFileDescriptorCount());
        }
        text.metric("process_start_time_seconds", "gauge", "When the process started, in seconds since the epoch")
                .sample("process_start_time_seconds", ManagementFactory.getRuntimeMXBean().getStartTime() / 1000.0);
    }
}
