/** Hands out increasing decimal ids, like an auto-increment column. */
export class IdSequence {
  private last = 0n;

  next(): string {
    this.last += 1n;
    return this.last.toString();
  }
}
