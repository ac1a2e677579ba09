package simdconv

import (
	"runtime"

	"github.com/simdconv/simdconv/kernels"
	"sync"
	"sync/atomic"
	"time"
)

// The worker pool. A Forward call runs its tasks on the calling goroutine
// and offers helper jobs to a shared pool of long-lived goroutines; helpers
// take tasks from the same atomic counter. A helper that is picked up only
// after the caller has finished does nothing, so a busy pool delays no
// call: the caller never waits for a helper that has not started.
//
// Nothing here allocates per call: a call context (scratch buffers, counters,
// the wake-up channel) is reused through the plan's spare slot and free list
// (plan.go), and jobs are passed by value.

// call is the context of one Forward call in flight.
type call struct {
	plan *Plan
	work []*kernels.Scratch // per-worker scratch

	dst, src []float32 // operands of the call in flight
	tasks    int
	next     atomic.Int64 // the next task to take
	// state packs the call's generation (high 32 bits), a closed flag (bit
	// 31), a sleeping flag (bit 30: the caller waits on done) and the number
	// of helpers working on the call (low bits).
	state atomic.Uint64
	done  chan struct{} // the last helper signals a sleeping caller here
}

const (
	closedBit   = 1 << 31
	sleepingBit = 1 << 30
	countMask   = sleepingBit - 1
	// callerSpin is how long a caller that has no task left, but helpers
	// still on their last one, yields before it sleeps. A task takes tens
	// to hundreds of microseconds; and a sleeping caller is woken by the
	// last helper onto the helper's own thread (the runtime runs a woken
	// goroutine next on the thread that woke it), so that the helper waits
	// for another thread to take it and joins the next call late. Longer
	// spins (1 ms) cost more when the machine is shared (a virtual CPU that
	// spins keeps its physical core from the one that would finish the
	// work). Measured with hotWait below.
	callerSpin = 300 * time.Microsecond
)

func newCall(p *Plan) *call {
	c := &call{plan: p, done: make(chan struct{}, 1)}
	c.work = make([]*kernels.Scratch, p.workersFor(p.prog.Tasks())) // the most a call uses
	for i := range c.work {
		c.work[i] = p.prog.NewScratch()
	}
	return c
}

// run computes dst from src on this goroutine and on up to workersFor-1
// helpers, all taking tasks from one counter. A call of one worker runs its
// tasks in order, with no helper and no atomic operation: no helper job
// ever names its context, since the number of workers is the plan's.
func (c *call) run(dst, src []float32) {
	prog := c.plan.prog
	if len(c.work) == 1 {
		s := c.work[0]
		s.Forget() // src may hold new data at the same address
		for t := range prog.Tasks() {
			prog.Run(t, dst, src, s)
		}
		return
	}
	c.dst, c.src = dst, src
	c.tasks = prog.Tasks()
	c.next.Store(0)
	for _, s := range c.work {
		s.Forget() // src may hold new data at the same address
	}
	gen := uint32(c.state.Load()>>32) + 1
	c.state.Store(uint64(gen) << 32)
	for i := 1; i < c.plan.workersFor(prog.Tasks()); i++ {
		if !pool.offer(job{c: c, gen: gen, worker: i}) {
			break
		}
	}
	c.do(0)
	// Close the call, so that helpers arriving late do nothing, then wait
	// for those that joined it: yield up to callerSpin, then sleep.
	for {
		s := c.state.Load()
		if c.state.CompareAndSwap(s, s|closedBit) {
			break
		}
	}
	var deadline time.Time
	for {
		s := c.state.Load()
		if s&countMask == 0 {
			break
		}
		if deadline.IsZero() {
			deadline = time.Now().Add(callerSpin)
		}
		if time.Now().Before(deadline) {
			runtime.Gosched()
			continue
		}
		if c.state.CompareAndSwap(s, s|sleepingBit) {
			<-c.done
			break
		}
	}
	c.dst, c.src = nil, nil
}

// do takes tasks until none is left.
func (c *call) do(worker int) {
	prog := c.plan.prog
	for {
		t := int(c.next.Add(1)) - 1
		if t >= c.tasks {
			return
		}
		if taskHook != nil {
			taskHook(worker, true)
		}
		prog.Run(t, c.dst, c.src, c.work[worker])
		if taskHook != nil {
			taskHook(worker, false)
		}
	}
}

// taskHook, set only by tests while no call is in flight, is called by a
// worker of a multi-worker call (0 the caller, 1... its helpers) before
// (begin) and after each task it runs.
var taskHook func(worker int, begin bool)

// help is run by a pool goroutine for a job: it joins the call if the call
// is still the job's and open.
func (c *call) help(gen uint32, worker int) {
	for {
		s := c.state.Load()
		if uint32(s>>32) != gen || s&closedBit != 0 { // another call, or this one is over
			return
		}
		if c.state.CompareAndSwap(s, s+1) {
			break
		}
	}
	c.do(worker)
	if s := c.state.Add(^uint64(0)); s&sleepingBit != 0 && s&countMask == 0 {
		c.done <- struct{}{}
	}
}

type job struct {
	c      *call
	gen    uint32
	worker int
}

// workerPool is the process-wide set of helper goroutines. It grows to the
// largest number of helpers any call has asked for.
type workerPool struct {
	mu      sync.Mutex
	started int
	jobs    chan job
}

var pool = workerPool{jobs: make(chan job, 1024)}

// offer hands a job to a helper, starting helpers as needed; it reports
// false if the queue is full, in which case the caller does the work.
func (w *workerPool) offer(j job) bool {
	if j.worker > int(poolStarted.Load()) {
		w.grow(j.worker)
	}
	select {
	case w.jobs <- j:
		return true
	default:
		return false
	}
}

var poolStarted atomic.Int32

func (w *workerPool) grow(n int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for w.started < n {
		w.started++
		go w.loop()
	}
	poolStarted.Store(int32(w.started))
}

// hotWait is how long a helper keeps polling for the next job before it
// parks. Waking a parked goroutine costs the waker a system call and the
// call tens of microseconds of the helper's time (more in virtual
// machines), and a helper that finishes first waits for the caller's last
// task (up to hundreds of microseconds) before the next call even starts;
// layers of a network come back to back, so a helper that stays awake this
// long is usually there for the next one.
//
// Measured on the two-core Zen 5 virtual machine of the README, polling
// 100 us and the caller yielding 64 times (about 20 us) before it slept:
// BenchmarkTwoWorkers' helper started more than 10 us late in 33-64% of
// the calls, its 90th percentile 74-212 us; with 300 us of each, in
// 0.25-2%, 2-4 us. In 14 alternating runs of the benchmark suite (avx512
// only) the twelve layers of 100 MFLOP or more all reached 1.85 times the
// single-worker speed in 7 runs instead of 3, the runs' median of those
// that did 11.5 instead of 8.5; 1 ms of each did as well when the machine
// was quiet and worse when it was busy.
const hotWait = 300 * time.Microsecond

func (w *workerPool) loop() {
	for {
		var j job
		select {
		case j = <-w.jobs:
		default:
			j = w.wait()
		}
		j.c.help(j.gen, j.worker)
	}
}

// wait polls for a job for up to hotWait, yielding to other goroutines,
// then blocks.
func (w *workerPool) wait() job {
	deadline := time.Now().Add(hotWait)
	for time.Now().Before(deadline) {
		select {
		case j := <-w.jobs:
			return j
		default:
			runtime.Gosched()
		}
	}
	return <-w.jobs
}
