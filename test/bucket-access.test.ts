import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type BucketConsumer, policyName, storePolicy } from "../lib/data/bucket-access.ts";
import { evaluate } from "../lib/data/iam.ts";
import { VENDOR_DIR } from "../lib/helm/releases.ts";
import { renderRelease } from "../lib/helm/render.ts";
import type { HydratedObject } from "../lib/hydrate/index.ts";
import { proveBucketAccess } from "../lib/validate/prove-bucket-access.ts";
import { REPO } from "./helpers.ts";

/** Fixture consumers and buckets, not the estate's. */
const BUCKETS = ["in", "out", "private"];
const CONSUMERS: BucketConsumer[] = [
  { user: "app", why: "fixture", buckets: { in: ["read"], out: ["write"] } },
  { user: "copier", why: "fixture", buckets: { in: ["mirror-from"], out: ["mirror-to"] } },
];

/** The real MinIO chart rendered with the given users and policies: what the store is configured with. */
async function store(users: { user: string; policy: string }[], policies = CONSUMERS.map(storePolicy)) {
  const result = await renderRelease(REPO, {
    chartPath: join(REPO, VENDOR_DIR, "minio-5.4.0.tgz"),
    releaseName: "store",
    namespace: "store",
    values: {
      users: users.map(({ user, policy }) => ({
        accessKey: user,
        existingSecret: "users",
        existingSecretKey: user,
        policy,
      })),
      policies,
      buckets: BUCKETS.map((name) => ({ name })),
    },
  });
  if (!result.ok) throw new Error(result.message);
  return result.manifests.map(
    (manifest): HydratedObject => ({ cluster: "fixture", origin: "helm store/store", manifest }),
  );
}

describe("object store access, proven on the rendered MinIO configuration", () => {
  it("a policy rendered from the declarations allows exactly what they need", async () => {
    const objects = await store(CONSUMERS.map((c) => ({ user: c.user, policy: policyName(c) })));
    expect(proveBucketAccess("fixture", objects, CONSUMERS, BUCKETS)).toEqual([]);
  });

  it("MinIO's canned policies: readonly cannot list for mc mirror, readwrite opens every bucket", async () => {
    const objects = await store([
      { user: "app", policy: "readwrite" },
      { user: "copier", policy: "readonly" },
      { user: "stranger", policy: "readonly" },
    ]);
    const problems = proveBucketAccess("fixture", objects, CONSUMERS, BUCKETS).join("\n");
    expect(problems).toContain('user "stranger" is not a declared consumer');
    expect(problems).toContain(
      'user "app" (policy readwrite): may do more than it declares: s3:GetObject on in;',
    );
    expect(problems).toContain(
      'user "copier" (policy readonly): cannot do what it declares: s3:ListBucket on in (to mirror-from); s3:ListBucket on out (to mirror-to); s3:ListBucketMultipartUploads on out (to mirror-to); s3:PutObject on out/* (to mirror-to);',
    );
    expect(problems).toMatch(
      /user "copier" \(policy readonly\): may do more than it declares: .*s3:GetObject on private/,
    );
  });

  it("a consumer without a store user, and a policy the model cannot evaluate, are reported", async () => {
    const conditional = {
      name: "app-access",
      statements: [
        {
          resources: ["arn:aws:s3:::in/*"],
          actions: ["s3:GetObject"],
          conditions: [{ IpAddress: '"aws:SourceIp": "10.0.0.0/8"' }],
        },
      ],
    };
    const objects = await store([{ user: "app", policy: "app-access" }], [conditional]);
    const problems = proveBucketAccess("fixture", objects, CONSUMERS, BUCKETS).join("\n");
    expect(problems).toContain('consumer "copier" (fixture) has no user in the store');
    expect(problems).toContain('user "app" (policy app-access): cannot prove');
  });
});

describe("the IAM subset", () => {
  const policy = {
    Statement: [
      { Effect: "Allow", Action: ["s3:Get*", "s3:ListBucket"], Resource: ["arn:aws:s3:::data*"] },
      { Effect: "Deny", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::data/secret/*"] },
    ],
  };
  it("matches wildcards in actions (case-insensitively) and resources, and an explicit Deny wins", () => {
    expect(evaluate(policy, "s3:getobject", "arn:aws:s3:::data/x")).toBe("allow");
    expect(evaluate(policy, "s3:GetObject", "arn:aws:s3:::data/secret/x")).toBe("deny");
    expect(evaluate(policy, "s3:PutObject", "arn:aws:s3:::data/x")).toBe("deny");
    expect(evaluate(policy, "s3:ListBucket", "arn:aws:s3:::other")).toBe("deny");
    expect(
      evaluate(
        { Statement: [{ Effect: "Allow", Action: "s3:*", NotResource: "x" }] },
        "s3:GetObject",
        "arn:aws:s3:::a",
      ),
    ).toBe("cannot prove");
  });
});
