"""The desk (`ticker serve`): pages and an API over the campaign folder, for the people who write, approve and
publish crawls. It holds no state but sessions and the background nightly runs it started; the files stay the
truth. Below the web layer: who may sign in (users), and nightly runs in the background (nights)."""
