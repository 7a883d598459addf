/**
 * How long a tool run waited on ShipVox: the time during which at least one of its requests was
 * outstanding (parallel requests counted once). The webhook reports it as `Server-Timing`, so
 * the BFF's own overhead can be told apart from the backend's latency.
 */
export class BackendTime {
  ms = 0;
  private open = 0;
  private since = 0;

  async around<T>(request: () => Promise<T>): Promise<T> {
    if (this.open++ === 0) this.since = performance.now();
    try {
      return await request();
    } finally {
      if (--this.open === 0) this.ms += performance.now() - this.since;
    }
  }
}

/** Runs a ShipVox request, timed when the call carries a clock. */
export function timed<T>(clock: BackendTime | undefined, request: () => Promise<T>): Promise<T> {
  return clock ? clock.around(request) : request();
}
