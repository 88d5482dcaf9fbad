/**
 * A counter of this process's writes to the search index. Answers cached from the index carry the
 * generation they were read in; after a write (an upsert, removal or clear, once it has completed)
 * they are no longer found, so this process never serves an answer older than its own last write.
 * Writes by other processes reach a cached answer when its time to live ends.
 */
let generation = 0;

export function searchIndexGeneration(): number {
  return generation;
}

/** Runs one write to the search index, then (whether it succeeded or not) counts it as a change. */
export async function writeToIndex(write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } finally {
    generation += 1;
  }
}
