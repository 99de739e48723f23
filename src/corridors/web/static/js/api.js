// Requests to the REST API under /api (docs/api.md) and their errors.

/** An error to show as it is: the server's message, or why the server could not be reached. */
export class ApiError extends Error {}

/** Fetch JSON from the API; throws ApiError carrying the server's `message` (and `details`). */
export async function api(path, { body, signal } = {}) {
  let response;
  try {
    response = await fetch(path, {
      method: body ? "POST" : "GET", signal,
      headers: body ? { "Content-Type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
  } catch (err) {
    if (err.name === "AbortError") throw err;
    throw new ApiError("The corridors server cannot be reached. Is `corridors serve` running?");
  }
  let data = null;
  try { data = await response.json(); } catch { /* not JSON */ }
  if (!response.ok) {
    let message = data?.message || `${response.status} ${response.statusText}`;
    const details = (data?.details || []).map((d) => (typeof d === "string" ? d : [d.path, d.message].filter(Boolean).join(": ")));
    const extra = details.filter((d) => d && !message.includes(d));
    if (extra.length) message += ` (${extra.join("; ")})`;
    throw new ApiError(message);
  }
  return data;
}

/** One request per kind at a time: starting a new one aborts the previous. */
const inflight = {};
export function fresh(kind) {
  inflight[kind]?.abort();
  inflight[kind] = new AbortController();
  return inflight[kind].signal;
}
