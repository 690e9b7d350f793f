// The one Disposable helper: every provider, watcher, panel and emitter the extension creates is
// registered with an owner, so deactivation (or a closed run) releases all of it.
import type * as vscode from 'vscode';

export interface IDisposable {
  dispose(): unknown;
}

/** Disposes in reverse order of registration; one failing dispose does not stop the rest. */
export function disposeAll(disposables: IDisposable[]): void {
  const errors: unknown[] = [];
  while (disposables.length) {
    const item = disposables.pop();
    try {
      item?.dispose();
    } catch (e) {
      errors.push(e);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, 'several disposables failed');
}

export abstract class Disposable implements vscode.Disposable {
  private _isDisposed = false;
  protected readonly _disposables: IDisposable[] = [];

  dispose(): void {
    if (this._isDisposed) return;
    this._isDisposed = true;
    disposeAll(this._disposables);
  }

  /** Takes ownership of `value`; registering after dispose disposes it at once (no leak). */
  protected _register<T extends IDisposable>(value: T): T {
    if (this._isDisposed) value.dispose();
    else this._disposables.push(value);
    return value;
  }

  protected get isDisposed(): boolean {
    return this._isDisposed;
  }
}

/** Holds at most one disposable; replacing or clearing it disposes the old one. */
export class DisposableSlot<T extends IDisposable> implements IDisposable {
  private _value: T | undefined;

  get value(): T | undefined {
    return this._value;
  }

  set value(next: T | undefined) {
    if (this._value === next) return;
    this._value?.dispose();
    this._value = next;
  }

  dispose(): void {
    this.value = undefined;
  }
}

/** A disposable from a callback, e.g. clearing a timer. */
export function toDisposable(fn: () => void): IDisposable {
  let done = false;
  return {
    dispose: () => {
      if (!done) {
        done = true;
        fn();
      }
    },
  };
}
