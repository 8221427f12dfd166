/** The annotation on a Git mirror's GitRepository naming the upstream repository it mirrors. */
export const UPSTREAM_ANNOTATION = "waterschap.example/upstream";
