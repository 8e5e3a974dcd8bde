"use client";
import { type QueryKey, type UseQueryOptions, useQuery } from "@tanstack/react-query";
import { useEffect, useRef } from "react";

// A panel whose state query carries the project's latest background job (import, export): poll it every second
// while the job is queued or running — the job lives in the database, so a reload picks it up again — and call
// `onEnd` once when it stops running, because whatever the job wrote is stale on the page.

interface WithJob {
  job: { state: string } | null;
}

const isActive = (job: { state: string } | null | undefined) => !!job && (job.state === "queued" || job.state === "running");

export function useJobPolling<TData extends WithJob, TError, TKey extends QueryKey>(
  options: UseQueryOptions<TData, TError, TData, TKey>,
  onEnd: () => void,
) {
  const query = useQuery({ ...options, refetchInterval: (q) => (isActive(q.state.data?.job) ? 1000 : false) });
  const job = (query.data?.job ?? null) as TData["job"];
  const active = isActive(job);
  const onEndRef = useRef(onEnd);
  useEffect(() => {
    onEndRef.current = onEnd;
  });
  const wasActive = useRef(active);
  useEffect(() => {
    if (wasActive.current && !active) onEndRef.current();
    wasActive.current = active;
  }, [active]);
  return { query, job, active };
}
