/** An operation's answer already serialised as JSON: the worker sends the text as it is. */
export class JsonText {
  constructor(readonly text: string) {}
}

/** The JSON of an operation's answer. */
export function answerJson(answer: unknown): string {
  return answer instanceof JsonText ? answer.text : JSON.stringify(answer);
}
