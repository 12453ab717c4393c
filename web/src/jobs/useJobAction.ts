import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { Job } from "../api/client";

/** A POST that answers the job (cancel, retry, retry failed, publish), whose answer replaces the cached job; its error stays for showing in place. */
export function useJobAction(jobId: string, post: () => Promise<Job>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: post,
    onSuccess: (updated) => client.setQueryData(["job", jobId], updated),
  });
}
