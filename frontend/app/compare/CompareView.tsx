"use client";

import Link from "next/link";
import { useCallback } from "react";
import type { DateRange } from "@/lib/api";
import { friendName, getComparison, getFriends, type Friend } from "@/lib/compare";
import { HEADINGS } from "@/lib/headings";
import { useApi } from "@/lib/useApi";
import { useQuery } from "@/lib/useQuery";
import RangedPage from "@/components/layout/RangedPage";
import ComparisonView from "@/components/compare/ComparisonView";
import SegmentedControl from "@/components/primitives/SegmentedControl";
import EmptyState from "@/components/states/EmptyState";
import Loaded from "@/components/states/Loaded";

export default function CompareView() {
  const friends = useApi(getFriends);
  return (
    <RangedPage {...HEADINGS.compare}>
      {(range) => (
        <Loaded state={friends} loadingLabel="Loading your friends…">
          {({ shared, friends: list }) =>
            !shared ? (
              <EmptyState title="You don’t share your listening">
                Comparing takes two who share. Turn sharing on in <Link href="/settings/#sharing">Settings</Link>; the
                others who share will then see the artists and tracks you have in common, and your mood.
              </EmptyState>
            ) : list.length === 0 ? (
              <EmptyState title="No friends share yet">
                You share your listening; once someone else on this Moodify turns sharing on in their Settings, you can
                compare here.
              </EmptyState>
            ) : (
              <Compare friends={list} range={range} />
            )
          }
        </Loaded>
      )}
    </RangedPage>
  );
}

function Compare({ friends, range }: { friends: Friend[]; range: DateRange }) {
  const [query, setQuery] = useQuery();
  const friend = friends.find((f) => f.user_id === query.get("friend")) ?? friends[0];
  const comparison = useApi(useCallback(() => getComparison(friend.user_id, range), [friend.user_id, range]));
  return (
    <>
      {friends.length > 1 && (
        <SegmentedControl
          label="Compare with"
          segments={friends.map((f) => ({ value: f.user_id, label: friendName(f) }))}
          value={friend.user_id}
          onChange={(value) => setQuery({ friend: value })}
          testId="friend-picker"
        />
      )}
      <Loaded state={comparison} loadingLabel={`Comparing with ${friendName(friend)}…`}>
        {(data) => <ComparisonView comparison={data} />}
      </Loaded>
    </>
  );
}
