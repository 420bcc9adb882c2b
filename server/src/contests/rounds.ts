/** The round that judging, scoring and results refer to when a request names none. */
export function currentRoundId(contest: { currentRoundId?: string | null; rounds: readonly { id: string }[] }): string {
  const id = contest.currentRoundId ?? contest.rounds[0]?.id;
  if (!id) throw new Error('contest has no rounds');
  return id;
}
