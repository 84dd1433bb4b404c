/** A response body already serialised as JSON; sent as it is. */
export class JsonText {
  readonly text: string;

  constructor(text: string) {
    this.text = text;
  }

  parse<T>(): T {
    return JSON.parse(this.text) as T;
  }
}
