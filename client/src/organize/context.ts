import { createContext, useContext } from 'react';
import type { ContestForMember } from '@pingxuan/shared';

export type OrganizeContextValue = {
  contest: ContestForMember;
  /** Reads the contest again (after a status change, or a 409 that says it changed elsewhere). */
  reloadContest: () => void;
  /**
   * The school a school organizer looks after, when that is all the caller is here: the pages they may
   * use show only that school's entries and hide what only organizers may do. Null for organizers.
   */
  school: string | null;
};

export const OrganizeContext = createContext<OrganizeContextValue | null>(null);

export function useOrganize(): OrganizeContextValue {
  const v = useContext(OrganizeContext);
  if (!v) throw new Error('useOrganize outside the organizer layout');
  return v;
}
