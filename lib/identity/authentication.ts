import { z } from "zod";

/** Prefix the API server gives users and groups from Keycloak tokens. */
export const OIDC_GROUP_PREFIX = "oidc:";
/** The Keycloak client kubectl logs in with; the API servers accept its tokens. */
export const OIDC_CLIENT_ID = "kubernetes";

/**
 * kube-apiserver's structured authentication configuration (apiserver.config.k8s.io/v1beta1): how a
 * cluster trusts Keycloak. It is a file on the control-plane nodes, not an API object, so it is
 * rendered outside every Flux path (dist/host-config/<cluster>/) and referenced from the RKE2 config.
 * The strict schema types the fields we render, from the Kubernetes documentation.
 */
export const AuthenticationConfigurationSchema = z.strictObject({
  apiVersion: z.literal("apiserver.config.k8s.io/v1beta1"),
  kind: z.literal("AuthenticationConfiguration"),
  jwt: z
    .array(
      z.strictObject({
        issuer: z.strictObject({
          url: z.url({ protocol: /^https$/ }),
          audiences: z.array(z.string().min(1)).min(1),
          /** PEM bundle that signs the issuer's serving certificate (the organisation's CA). */
          certificateAuthority: z.string().startsWith("-----BEGIN CERTIFICATE-----"),
        }),
        claimMappings: z.strictObject({
          username: z.strictObject({ claim: z.string(), prefix: z.string() }),
          groups: z.strictObject({ claim: z.string(), prefix: z.string() }),
        }),
      }),
    )
    .min(1),
});

export type AuthenticationConfiguration = z.infer<typeof AuthenticationConfigurationSchema>;

export function authenticationConfiguration(
  issuer: string,
  audience: string,
  prefix: string,
  certificateAuthority: string,
): AuthenticationConfiguration {
  return {
    apiVersion: "apiserver.config.k8s.io/v1beta1",
    kind: "AuthenticationConfiguration",
    jwt: [
      {
        issuer: { url: issuer, audiences: [audience], certificateAuthority },
        claimMappings: {
          username: { claim: "preferred_username", prefix },
          groups: { claim: "groups", prefix },
        },
      },
    ],
  };
}
