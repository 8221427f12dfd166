/** Namespaces of the platform components that other constructs refer to. */
export const KONG_NAMESPACE = "kong";
export const KYVERNO_NAMESPACE = "kyverno";
