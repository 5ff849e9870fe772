package dev.lode.recommend;

/**
 * What training a model's learned source did: the trainer and its hyper-parameters, the size of
 * the purchase matrix, the weight rows written, the time and the JVM heap it peaked at.
 */
public record ModelTraining(String trainer, int persons, int items, int pairs, long rows, long millis,
                            long heapPeakMb) {
  /** No training (the learned source has weight 0). */
  public static final ModelTraining NONE = new ModelTraining("none", 0, 0, 0, 0, 0, 0);
}
