/** The CLI's usage text and its one error type for bad usage (exit code 2). */

/** Bad usage: a flag, a config, the users file or the journal. Its message is shown as it is. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const USAGE = `Usage: phone-binding migrate --from <from.json> --to <to.json> --users <users.csv|users.jsonl|-> [options]

Moves verified phone numbers from one backend to another (no SMS is sent).

  --from <file>         source config: { "provider": …, …options } as createPhoneBinding takes it
  --to <file>           target config, the same way
                        Secrets come from the environment, <PREFIX>_<OPTION> as configFromEnv reads
                        them (e.g. CLERK_SECRET_KEY); a config may set "envPrefix" to read others
                        (e.g. "OLD_ZITADEL" reads OLD_ZITADEL_TOKEN for token).
  --users <file|->      users: CSV with an "id" column or "from" and "to" columns, or JSON lines
                        ("id", {"id": …} or {"from": …, "to": …}); - reads standard input
  --journal <file>      JSON-lines journal: a run with the same journal skips finished users
                        (PHONE_BINDING_JOURNAL_KEY, 16+ characters: each line also carries an
                        HMAC of the number, to see it change between runs)
  --concurrency <n>     users at once (default 4)
  --max-rate <n>        most requests per second to each backend
  --shard <i/n>         only the users of shard i of n (0-based), by a stable hash of the source id
  --dry-run             reads only: report what would happen
  --json                print the report as JSON on standard output
  -h, --help            this text

Exit codes: 0 every user handled, 1 some failed (or the run was stopped), 2 bad usage.`;
