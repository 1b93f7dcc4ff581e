// Demo one-shot job: applies a few imaginary migrations, then exits 0 (shown as completed).
const steps = ['001_create_users', '002_create_orders', '003_add_index_on_orders_user_id'];
let i = 0;
const timer = setInterval(() => {
  const step = steps[i++];
  if (step === undefined) {
    clearInterval(timer);
    console.log(`migrations done (${steps.length} applied)`);
    return;
  }
  console.log(`applying ${step} ... ok`);
}, 600);
