// @ts-check
// Posts the rendered diff as the pull request's one estate comment: updates it when it exists (found
// by its marker), creates it otherwise. Usage: node upsert-comment.mjs <file.md>
// Env: GITEA_TOKEN, GITEA_API (server/api/v1), REPOSITORY (owner/name), PR (number).
import { readFileSync } from "node:fs";

const MARKER = "<!-- estate-diff -->";
const { GITEA_TOKEN, GITEA_API, REPOSITORY, PR } = process.env;
const file = process.argv[2];
if (!file) {
  console.error("usage: node upsert-comment.mjs <file.md>");
  process.exit(2);
}
const body = `${MARKER}\n${readFileSync(file, "utf8")}`;
const headers = { Authorization: `token ${GITEA_TOKEN}`, "Content-Type": "application/json" };

/**
 * One Gitea API call on the repository; its JSON answer.
 * @param {string} method
 * @param {string} path
 * @param {object} [payload]
 * @returns {Promise<any>}
 */
async function call(method, path, payload) {
  const response = await fetch(`${GITEA_API}/repos/${REPOSITORY}${path}`, {
    method,
    headers,
    ...(payload ? { body: JSON.stringify(payload) } : {}),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** @type {{ id: number, body?: unknown }[]} */
const comments = await call("GET", `/issues/${PR}/comments`);
const mine = comments.find((c) => typeof c.body === "string" && c.body.startsWith(MARKER));
if (mine) await call("PATCH", `/issues/comments/${mine.id}`, { body });
else await call("POST", `/issues/${PR}/comments`, { body });
console.log(mine ? `updated comment ${mine.id}` : "created the estate comment");
