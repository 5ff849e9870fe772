package dev.lode.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class JobSchedulerTest {

  @Test
  void runsEveryDelayAndKeepsEachJobsLastOutcome() throws Exception {
    try (JobScheduler jobs = new JobScheduler()) {
      AtomicInteger runs = new AtomicInteger();
      CountDownLatch three = new CountDownLatch(3);
      AtomicReference<String> thread = new AtomicReference<>();
      jobs.everyDelay("counting", Duration.ZERO, Duration.ofMillis(20), "nothing", () -> {
        thread.set(Thread.currentThread().getName());
        three.countDown();
        return "run " + runs.incrementAndGet();
      });
      CountDownLatch failedOnce = new CountDownLatch(1);
      jobs.everyDelay("failing", Duration.ZERO, Duration.ofHours(1), "retried", () -> {
        failedOnce.countDown();
        throw new IllegalStateException("no warehouse");
      });
      assertTrue(three.await(10, TimeUnit.SECONDS));
      assertTrue(failedOnce.await(10, TimeUnit.SECONDS));
      Thread.sleep(50); // the failing run's bookkeeping ends just after its body
      assertEquals("lode-counting", thread.get(), "a run's thread is named after its job");
      JobState counting = jobs.states().get(0);
      assertEquals("counting", counting.name());
      assertTrue(counting.runs() >= 3, counting.toString());
      assertTrue(counting.lastOutcome().startsWith("ok: run "), counting.lastOutcome());
      assertEquals(0, counting.failures());
      JobState failing = jobs.states().get(1);
      assertEquals(1, failing.runs());
      assertEquals(1, failing.failures());
      assertEquals("failed: no warehouse", failing.lastOutcome());
      assertNotNull(failing.nextRun());
      assertEquals(Duration.ofHours(1), Duration.between(failing.lastFinish(), failing.nextRun()));
    }
  }

  @Test
  void runNowRunsOnTheCallersThreadAndKeepsTheSchedule() throws Exception {
    try (JobScheduler jobs = new JobScheduler()) {
      AtomicInteger runs = new AtomicInteger();
      ScheduledJob job = jobs.everyDelay("later", Duration.ofHours(1), Duration.ofHours(1), "nothing",
          () -> "run " + runs.incrementAndGet());
      java.time.Instant scheduled = jobs.states().getFirst().nextRun();
      job.runNow();
      JobState s = jobs.states().getFirst();
      assertEquals(1, runs.get(), "ran once, before runNow returned");
      assertEquals("ok: run 1", s.lastOutcome());
      assertEquals(scheduled, s.nextRun(), "the scheduled run is still where it was");
    }
  }

  @Test
  void closingAJobWaitsForItsRunInProgress() throws Exception {
    try (JobScheduler jobs = new JobScheduler()) {
      CountDownLatch started = new CountDownLatch(1);
      AtomicReference<String> finished = new AtomicReference<>();
      ScheduledJob job = jobs.everyDelay("slow", Duration.ZERO, Duration.ofHours(1), "nothing", () -> {
        started.countDown();
        try {
          Thread.sleep(60_000);
        } finally {
          // runs after the interrupt: close() must not return before this
          finished.set("cleaned up");
        }
        return "";
      });
      assertTrue(started.await(10, TimeUnit.SECONDS));
      job.close();
      assertEquals("cleaned up", finished.get());
      assertNull(job.state().nextRun(), "a stopped job has no next run");
      assertEquals("interrupted", job.state().lastOutcome());
    }
  }

  @Test
  void aJobNeedsAPositiveDelay() {
    try (JobScheduler jobs = new JobScheduler()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> jobs.everyDelay("never", Duration.ZERO, Duration.ZERO, "nothing", () -> ""));
      assertTrue(e.getMessage().contains("never"), e.getMessage());
    }
  }
}
