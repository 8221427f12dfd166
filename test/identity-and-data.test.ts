import { X509Certificate } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { ANONYMISED_TABLES } from "../lib/data/anonymised-schema.ts";
import type { Estate } from "../lib/inventory/model.ts";
import { isPublicCaBundle } from "../lib/secrets/public.ts";
import { isSopsEncrypted } from "../lib/secrets/sops.ts";
import { find, objectsOf, renderFixtureEstate, specOf, type TreeObject } from "./helpers.ts";

let estate: Estate;
let objects: TreeObject[];
beforeAll(async () => {
  const rendered = await renderFixtureEstate();
  estate = rendered.estate;
  objects = objectsOf(rendered.tree);
});

const one = (cluster: string, kind: string, name: string, namespace?: string) => {
  const found = find(objects, cluster, kind, name, namespace);
  expect(found, `${cluster} ${kind} ${namespace}/${name}`).toHaveLength(1);
  return found[0] as TreeObject;
};
const secretIn = (cluster: string, namespace: string, name: string) =>
  objects.find(
    (o) =>
      o.cluster === cluster &&
      o.manifest.kind === "Secret" &&
      o.manifest.metadata?.namespace === namespace &&
      o.manifest.metadata?.name === name,
  );

describe("JWT-protected services", () => {
  it("the MCP route admits only tokens issued to its callers' clients", () => {
    const route = one("rke2-core", "HTTPRoute", "legacy-connectors-0", "legacy");
    expect(route.manifest.metadata?.annotations?.["konghq.com/plugins"]).toBe(
      "keycloak-jwt,legacy-connectors-callers",
    );
    const jwt = one("rke2-core", "KongPlugin", "keycloak-jwt", "legacy").manifest as any;
    expect(jwt.plugin).toBe("jwt");
    expect(jwt.config.key_claim_name).toBe("azp");
    const acl = one("rke2-core", "KongPlugin", "legacy-connectors-callers", "legacy").manifest as any;
    expect(acl).toMatchObject({ plugin: "acl", config: { allow: ["legacy-connectors-callers"] } });

    // Exactly the callers named in the catalogue have a consumer, each with its own credentials.
    const consumers = objects.filter((o) => o.cluster === "rke2-core" && o.manifest.kind === "KongConsumer");
    const inAclGroup = consumers.filter((c) =>
      (c.manifest as any).credentials.includes(`acl-${c.manifest.metadata?.name}-legacy-connectors-callers`),
    );
    expect(inAclGroup.map((c) => c.manifest.metadata?.name)).toEqual(["cloud-agents"]);
    for (const consumer of consumers)
      for (const credential of (consumer.manifest as any).credentials as string[]) {
        const secret = secretIn("rke2-core", consumer.manifest.metadata?.namespace as string, credential);
        expect(secret, credential).toBeDefined();
        expect(isSopsEncrypted((secret as TreeObject).manifest)).toBe(true);
        expect(secret?.manifest.metadata?.labels?.["konghq.com/credential"]).toBe(
          credential.startsWith("jwt-") ? "jwt" : "acl",
        );
      }
  });

  it("every consumer has a client in the realm: a workload's confidential, its secret in both namespaces", () => {
    const realmImport = one("rke2-core", "KeycloakRealmImport", "waterschap", "identity").manifest as any;
    const clients = new Map<string, any>(
      realmImport.spec.realm.clients.map((c: any) => [c.clientId, c] as [string, any]),
    );
    const consumers = objects.filter((o) => o.cluster === "rke2-core" && o.manifest.kind === "KongConsumer");
    expect(consumers.length).toBeGreaterThan(0);
    for (const consumer of consumers) {
      const id = consumer.manifest.metadata?.name as string;
      const client = clients.get(id);
      if (client?.publicClient) {
        // A public client (people and their tools): no secret, no service account, device sign-in.
        expect(client, id).toMatchObject({ standardFlowEnabled: false, directAccessGrantsEnabled: false });
        expect(client.secret).toBeUndefined();
        continue;
      }
      expect(client, id).toMatchObject({ publicClient: false, serviceAccountsEnabled: true });
      const placeholder = /^\$\{(\w+)\}$/.exec(client.secret)?.[1] as string;
      const source = realmImport.spec.placeholders[placeholder].secret;
      expect(secretIn("rke2-core", "identity", source.name), source.name).toBeDefined();
    }
    // The cloud agents read their client secret from their own namespace and know where to get tokens.
    const agents = specOf(one("rke2-cloud", "Deployment", "cloud-agents", "agents")).template.spec;
    const env = new Map<string, any>(agents.containers[0].env.map((e: any) => [e.name, e]));
    expect(env.get("OIDC_CLIENT_ID").value).toBe("cloud-agents");
    const ref = env.get("OIDC_CLIENT_SECRET").valueFrom.secretKeyRef;
    expect(secretIn("rke2-cloud", "agents", ref.name)).toBeDefined();
    expect(env.get("OIDC_TOKEN_URL").value).toBe(
      "https://sso.core.waterschap.example/realms/waterschap/protocol/openid-connect/token",
    );
  });

  it("Loki and Tempo take only pushes from other clusters' agents, each stamped with its own tenant", () => {
    for (const host of ["loki", "tempo"]) {
      const route = one("rke2-core", "HTTPRoute", host, "observability");
      expect(route.manifest.metadata?.annotations?.["konghq.com/plugins"]).toBe(
        "keycloak-jwt,telemetry-callers",
      );
      expect(specOf(route).rules[0].matches[0].path.type).toBe("Exact");
    }
    const loki = specOf(one("rke2-core", "HelmRelease", "loki", "observability")).values.loki;
    expect(loki.auth_enabled).toBe(true);
    for (const cluster of estate.clusters.filter((c) => c.name !== "rke2-core")) {
      const consumer = one("rke2-core", "KongConsumer", `otel-agent-${cluster.name}`, "kong").manifest;
      const pluginName = consumer.metadata?.annotations?.["konghq.com/plugins"] as string;
      const tenant = one("rke2-core", "KongPlugin", pluginName, "kong").manifest as any;
      expect(tenant.config.remove.headers).toEqual(["X-Scope-OrgID"]);
      expect(tenant.config.add.headers).toEqual([`X-Scope-OrgID:${cluster.name}`]);
      const agent = specOf(one(cluster.name, "HelmRelease", "otel-agent", "telemetry")).values;
      expect(agent.config.exporters["otlphttp/loki"].auth).toEqual({ authenticator: "oauth2client" });
      expect(agent.config.extensions.oauth2client.client_id).toBe(`otel-agent-${cluster.name}`);
    }
  });
});

describe("certificates", () => {
  it("internal gateways, Keycloak and PostGIS get certificates from the organisation's CA issuer", () => {
    for (const cluster of ["rke2-core", "rke2-nonprod"])
      expect(specOf(one(cluster, "Certificate", "gateway-tls", "kong")).issuerRef).toMatchObject({
        kind: "ClusterIssuer",
        name: "org-ca",
      });
    expect(find(objects, "rke2-cloud", "Certificate", "gateway-tls", "kong")).toHaveLength(0);
    for (const cluster of estate.clusters)
      expect(specOf(one(cluster.name, "ClusterIssuer", "org-ca")).ca.secretName).toBe("org-ca-key-pair");
    const keycloak = specOf(one("rke2-core", "Keycloak", "keycloak", "identity"));
    expect(specOf(one("rke2-core", "Certificate", keycloak.http.tlsSecret, "identity")).dnsNames).toContain(
      keycloak.hostname.hostname,
    );
  });

  it("the subscriber verifies the publisher's name against the CA its certificate chains to", () => {
    const portal = specOf(one("rke2-cloud", "Cluster", "portal-db", "data"));
    const external = portal.externalClusters[0];
    expect(external.connectionParameters.sslmode).toBe("verify-full");
    const root = secretIn("rke2-cloud", "data", external.sslRootCert.name) as TreeObject;
    expect(isPublicCaBundle(root.manifest)).toBe(true);
    const pem = (root.manifest as any).stringData[external.sslRootCert.key];
    expect(new X509Certificate(pem).fingerprint256).toBe(
      new X509Certificate(estate.clusters[0]?.pki.caCertificatePem as string).fingerprint256,
    );
    const publisher = specOf(one("rke2-core", "Cluster", "anonymised", "data"));
    const serverCert = specOf(
      one("rke2-core", "Certificate", publisher.certificates.serverTLSSecret, "data"),
    );
    expect(serverCert.issuerRef.name).toBe("org-ca");
    expect(serverCert.dnsNames).toContain(external.connectionParameters.host);
  });
});

describe("data", () => {
  const createdTables = (sql: string[]) =>
    sql
      .map((s) => /^CREATE TABLE IF NOT EXISTS (\S+) \((.*)\)$/.exec(s))
      .filter((m) => m !== null)
      .map((m) => `${m[1]}(${m[2]})`);

  it("publishes tables, not views, and the subscriber creates the same tables before it subscribes", () => {
    const publisher = specOf(one("rke2-core", "Cluster", "anonymised", "data"));
    const publication = specOf(one("rke2-core", "Publication", "anonymised-tables", "data"));
    expect(publication).toMatchObject({ cluster: { name: "anonymised" }, dbname: "anonymised" });
    const published = publication.target.objects.map((o: any) => `${o.table.schema}.${o.table.name}`);
    expect(published).toEqual(ANONYMISED_TABLES.map((t) => `anonymised.${t.name}`));
    const onPublisher = createdTables(publisher.bootstrap.initdb.postInitApplicationSQL);
    expect(onPublisher.map((t) => t.split("(")[0])).toEqual(published);
    const portal = specOf(one("rke2-cloud", "Cluster", "portal-db", "data"));
    expect(createdTables(portal.bootstrap.initdb.postInitApplicationSQL)).toEqual(onPublisher);
    expect(portal.externalClusters[0].connectionParameters).toMatchObject({
      dbname: "anonymised",
      user: "subscriber",
    });
    // The replication role lives on the publisher only, may read exactly the anonymised tables, and
    // pg_hba admits it to the published database from the subscribers' nodes only.
    const role = publisher.managed.roles.find((r: any) => r.name === "subscriber");
    expect(role).toMatchObject({ login: true, replication: true, inRoles: ["anonymised_reader"] });
    expect(publisher.bootstrap.initdb.postInitApplicationSQL).toContain(
      "GRANT SELECT ON ALL TABLES IN SCHEMA anonymised TO anonymised_reader",
    );
    expect(publisher.postgresql.pg_hba).toEqual([
      "hostssl anonymised subscriber 10.40.2.0/24 scram-sha-256",
      "host all subscriber all reject",
    ]);
    const master = specOf(one("rke2-core", "Cluster", "postgis", "data"));
    expect(master.managed.roles.filter((r: any) => r.replication || r.superuser)).toEqual([]);
    expect(createdTables(master.bootstrap.initdb.postInitApplicationSQL)).toEqual([]);
    // The name the subscribers verify (sslmode verify-full) is on the publisher's certificate only.
    const names = (secret: string) => specOf(one("rke2-core", "Certificate", secret, "data")).dnsNames;
    expect(names("anonymised-server-tls")).toContain("postgis.core.waterschap.example");
    expect(names("postgis-server-tls")).not.toContain("postgis.core.waterschap.example");
  });

  it("backs up every on-prem database to the other datacenter through the Barman Cloud plugin", () => {
    const backupStore = estate.clusters.find((c) => c.name === "rke2-core")?.externalEndpoints[
      "backup-store"
    ];
    expect(backupStore).toBeDefined();
    for (const [name, namespace] of [
      ["postgis", "data"],
      ["keycloak-db", "identity"],
    ] as const) {
      const db = specOf(one("rke2-core", "Cluster", name, namespace));
      expect(db.backup).toBeUndefined();
      const plugin = db.plugins.find((p: any) => p.name === "barman-cloud.cloudnative-pg.io");
      expect(plugin.isWALArchiver).toBe(true);
      const store = specOf(one("rke2-core", "ObjectStore", plugin.parameters.barmanObjectName, namespace));
      expect(store.configuration.endpointURL).toBe(`https://${backupStore?.host}`);
      expect(store.configuration.endpointURL).not.toContain("object-store");
      expect(specOf(one("rke2-core", "ScheduledBackup", `${name}-daily`, namespace))).toMatchObject({
        method: "plugin",
        pluginConfiguration: { name: "barman-cloud.cloudnative-pg.io" },
      });
    }
  });
});
