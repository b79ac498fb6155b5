// Declarations for the type check only (npm run typecheck); nothing here ships.

/** htmx 2, loaded as a classic script: the one call Confab makes. */
declare const htmx: {
  swap(
    target: Element | string,
    content: string,
    swapSpec: { swapStyle: string; transition?: boolean },
    swapOptions?: object,
  ): void;
};

/** @stomp/stompjs 7 (imported from /webjars/stomp__stompjs/7.2.1/esm6/index.js): the part Confab uses. */
declare module 'confab:stompjs' {
  export enum ReconnectionTimeMode {
    LINEAR = 0,
    EXPONENTIAL = 1,
  }
  export interface IFrame {
    headers: Record<string, string>;
    body: string;
  }
  export interface StompSubscription {
    id: string;
    unsubscribe(): void;
  }
  export class Client {
    constructor(config?: {
      brokerURL?: string;
      heartbeatIncoming?: number;
      heartbeatOutgoing?: number;
      reconnectDelay?: number;
      reconnectTimeMode?: ReconnectionTimeMode;
      maxReconnectDelay?: number;
      connectionTimeout?: number;
      discardWebsocketOnCommFailure?: boolean;
      debug?: (message: string) => void;
    });
    readonly connected: boolean;
    beforeConnect: (client: Client) => void | Promise<void>;
    onConnect: (frame: IFrame) => void;
    onStompError: (frame: IFrame) => void;
    onWebSocketClose: (event: any) => void;
    activate(): void;
    deactivate(options?: { force?: boolean }): Promise<void>;
    subscribe(destination: string, callback: (message: IFrame) => void, headers?: Record<string, string>): StompSubscription;
    publish(params: { destination: string; body?: string; headers?: Record<string, string> }): void;
    watchForReceipt(receiptId: string, callback: (frame: IFrame) => void): void;
  }
}
