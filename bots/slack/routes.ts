import type {
  AllMiddlewareArgs,
  AnyMiddlewareArgs,
  BlockButtonAction,
  MessageShortcut,
  Middleware,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackEventMiddlewareArgs,
  SlackShortcutMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from '@slack/bolt';

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;
export type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;
type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;
type ShortcutArgs = SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs;
export type EventArgs<T extends string> = SlackEventMiddlewareArgs<T> & AllMiddlewareArgs;

type Handler<Args> = (args: Args) => Promise<void>;

/**
 * The app's handlers, found by kind and id in one Bolt middleware rather than registered as Bolt
 * listeners. Bolt runs the matchers of every listener on every request before the one that acks:
 * about 6 µs and 2 KB of garbage per listener and request (measured with the ack bench's
 * command), so with a listener per handler each ack would pay for the eight that do not match.
 * A map look-up does the same matching as Bolt's built-ins for what is registered here (command
 * name; view callback_id of a submission; any block action; a message shortcut's callback_id;
 * event type). A request with no route goes on to Bolt unhandled, as before.
 */
export class SlackRoutes {
  private readonly commands = new Map<string, Handler<CommandArgs>>();
  private readonly views = new Map<string, Handler<ViewArgs>>();
  private readonly shortcuts = new Map<string, Handler<ShortcutArgs>>();
  private readonly events = new Map<string, Handler<EventArgs<string>>>();
  private blockActions: Handler<ButtonArgs> | undefined;

  command(name: string, handler: Handler<CommandArgs>): void {
    this.commands.set(name, handler);
  }

  /** A modal's submission, by the view's callback_id. */
  view(callbackId: string, handler: Handler<ViewArgs>): void {
    this.views.set(callbackId, handler);
  }

  /** Every click in a message's blocks (the handler looks the button up by its action_id). */
  blockAction(handler: Handler<ButtonArgs>): void {
    this.blockActions = handler;
  }

  /** A message shortcut, by its callback_id. */
  messageShortcut(callbackId: string, handler: Handler<ShortcutArgs>): void {
    this.shortcuts.set(callbackId, handler);
  }

  event<T extends string>(type: T, handler: Handler<EventArgs<T>>): void {
    this.events.set(type, handler as unknown as Handler<EventArgs<string>>);
  }

  /** The middleware to `app.use`: runs the request's handler, or passes it on. */
  readonly middleware: Middleware<AnyMiddlewareArgs> = async (args) => {
    const run = this.route(args);
    if (run) await run();
    else await args.next();
  };

  // The casts below are what the checks before them establish; Bolt's own matchers cast the same way.
  private route(args: AnyMiddlewareArgs & AllMiddlewareArgs): (() => Promise<void>) | undefined {
    if ('command' in args) {
      const handler = this.commands.get(args.command.command);
      return handler && (() => handler(args));
    }
    if ('view' in args) {
      const handler = args.body.type === 'view_submission' ? this.views.get(args.view.callback_id) : undefined;
      return handler && (() => handler(args as ViewArgs));
    }
    if ('shortcut' in args) {
      const handler = args.shortcut.type === 'message_action' ? this.shortcuts.get(args.shortcut.callback_id) : undefined;
      return handler && (() => handler(args as ShortcutArgs));
    }
    if ('action' in args) {
      const handler = args.body.type === 'block_actions' ? this.blockActions : undefined;
      return handler && (() => handler(args as unknown as ButtonArgs));
    }
    if ('event' in args) {
      const handler = this.events.get(args.event.type);
      return handler && (() => handler(args));
    }
    return undefined;
  }
}
