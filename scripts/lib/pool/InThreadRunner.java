//SOURCES TaskRunner.java

/** Runs each task in the worker's own thread, platform or virtual: the same code either way. */
final class InThreadRunner implements TaskRunner {
    private final Thread worker;
    private final Scraper scraper;
    private final String identity;

    InThreadRunner(Thread worker, Scraper scraper) {
        this.worker = worker;
        this.scraper = scraper;
        this.identity = (worker.isVirtual() ? "virtual #" : "platform #") + worker.threadId();
    }

    @Override
    public String identity() {
        return identity;
    }

    @Override
    public PoolTask.Outcome run(String task) {
        return PoolTask.run(task, scraper);
    }

    @Override
    public void cancel() {
        worker.interrupt();
    }
}
