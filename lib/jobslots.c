/*
 * jobslots.c — at most N threads of one run compute at once.
 *
 * An archive run has file workers and index shard writers; without a
 * common limit, "--jobs 1" would still keep a core per shard busy. Each
 * unit of work (one file prepared, one document indexed, one commit) is
 * done holding a slot. Slots are granted first come, first served, so a
 * thread that releases and asks again at once cannot starve the others.
 */
#include "gongkai.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

struct gk_jobslots {
    pthread_mutex_t mu;
    pthread_cond_t freed;
    uint64_t issued;   /* tickets handed out */
    uint64_t returned; /* slots given back */
    int n;
};

gk_jobslots_t *gk_jobslots_new(int n)
{
    gk_jobslots_t *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->freed, NULL);
    s->n = n < 1 ? 1 : n;
    return s;
}

void gk_jobslots_free(gk_jobslots_t *s)
{
    if (!s)
        return;
    pthread_cond_destroy(&s->freed);
    pthread_mutex_destroy(&s->mu);
    free(s);
}

void gk_jobslots_acquire(gk_jobslots_t *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->mu);
    /* Ticket T may run once all but N-1 of the tickets before it are done. */
    uint64_t ticket = s->issued++;
    while (ticket >= s->returned + (uint64_t)s->n)
        pthread_cond_wait(&s->freed, &s->mu);
    pthread_mutex_unlock(&s->mu);
}

void gk_jobslots_release(gk_jobslots_t *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->mu);
    s->returned++;
    pthread_cond_broadcast(&s->freed);
    pthread_mutex_unlock(&s->mu);
}
