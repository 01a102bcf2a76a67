/**
 * Integration-test harness: a real Atrium process, its admin CLI, and the external clients (git, git-lfs,
 * huggingface_hub, datasets, transformers, @huggingface/hub) driven against it.
 */
@NullMarked
package dev.atrium.it.support;

import org.jspecify.annotations.NullMarked;
