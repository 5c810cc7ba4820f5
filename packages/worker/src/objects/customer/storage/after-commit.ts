/**
 * What must happen only once a transaction has committed: the analytics points and log lines of
 * money moved. A command that throws before its commit rolls its writes back, and must not have
 * reported a refund or a capture that never happened; so what it reports waits for the commit.
 */
export class AfterCommit {
  private pending: (() => void)[] = [];
  private depth = 0;

  /** Runs `effect` when the running transaction commits (dropped if it rolls back); outside one, at once. */
  defer(effect: () => void): void {
    if (this.depth > 0) this.pending.push(effect);
    else effect();
  }

  /** Runs `transaction`: what it deferred runs if it returns, and is dropped if it throws. */
  around<T>(transaction: () => T): T {
    this.depth++;
    let committed = false;
    try {
      const result = transaction();
      committed = true;
      return result;
    } finally {
      this.depth--;
      if (this.depth === 0) {
        const effects = this.pending.splice(0);
        if (committed) for (const effect of effects) effect();
      }
    }
  }
}
