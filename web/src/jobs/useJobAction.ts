import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, type Job } from "../api/client";

/** A POST that returns the job, whose answer replaces the cached job; its error stays for showing in place. */
export function useJobAction(jobId: string, path: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api<Job>(path, { method: "POST" }),
    onSuccess: (updated) => client.setQueryData(["job", jobId], updated),
  });
}
