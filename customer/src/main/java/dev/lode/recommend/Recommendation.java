package dev.lode.recommend;

/** One recommended item with its blended score, its rank, the source that contributed most and the evidence. */
public record Recommendation(String personId, String itemId, double score, int rank, String source, String reason) {
}
