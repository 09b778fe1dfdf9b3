/**
 * Not acknowledged on purpose: the same event is being handled now (Slack redelivers a reply it
 * got no answer to in 3 s, e.g. while a file downloads), and a later delivery finds its comment
 * queued. Routine, so the app and both receivers log it at info rather than as a failure.
 */
export class StillHandling extends Error {
  /** Bolt passes an error with a `code` through as it is; one without would reach the handlers wrapped. */
  readonly code = 'ticket_bridge_still_handling';
  constructor() {
    super('thread reply still being handled; left for Slack to deliver again');
  }
}
