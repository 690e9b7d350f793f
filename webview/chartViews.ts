// The chart's views, asked of the host through the one RPC (src/core/rpc.ts): a newer range cancels
// the view still awaited, whose answer would only be drawn over at once. The first may have come
// with the init message (src/chart/firstView.ts): it is drawn at once if it is the view asked for.
import { isAbortError, oneLine, RpcClient } from '../src/core/rpc';
import { servedBy } from '../src/chart/firstView';
import type { FirstView, FromWebview, InspectorOps, RpcReplyToWebview, ViewRequest, ViewResult } from '../src/protocol';

export class ChartViews {
  private readonly requests: RpcClient<InspectorOps>;
  private asking: AbortController | undefined;
  /** The first view the host sent with init, used once if it is the view the chart asks for. */
  private pushed: FirstView | undefined;

  /** `show` draws a view; `fail` tells why one could not be made, in one line. */
  constructor(
    post: (msg: FromWebview) => void,
    private readonly to: { show: (view: ViewResult) => void; fail: (message: string) => void },
  ) {
    this.requests = new RpcClient<InspectorOps>({ post });
  }

  /** The view the host made before it was asked (a new page's first), or undefined to forget one. */
  offer(view: FirstView | undefined): void {
    this.pushed = view;
  }

  ask(req: ViewRequest): void {
    const pushed = this.pushed && servedBy(this.pushed, req);
    this.pushed = undefined;
    this.cancel();
    if (pushed) {
      // Drawn now; at fewer points than pixels, the exact view follows.
      this.to.show(pushed.view);
      if (pushed.exact) return;
    }
    if (!this.requests.lastId) performance.mark('gan-inspector-first-request');
    const asking = new AbortController();
    this.asking = asking;
    this.requests.request('view', req, { signal: asking.signal }).then(
      (view) => this.to.show(view),
      (e: unknown) => isAbortError(e) || this.to.fail(oneLine(e)),
    );
  }

  /** Drops the view still awaited. */
  private cancel(): void {
    this.asking?.abort();
    this.asking = undefined;
  }

  /** The app's handlers of the host's replies. */
  readonly handlers: { [K in RpcReplyToWebview['type']]: (msg: Extract<RpcReplyToWebview, { type: K }>) => void } = {
    done: (msg) => this.requests.receive(msg),
    update: (msg) => this.requests.receive(msg),
    failed: (msg) => this.requests.receive(msg),
  };

  /** The id of the latest request (0 before the first). */
  get lastId(): number {
    return this.requests.lastId;
  }
}
