package simdconv

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// The worker pool. A Forward call runs its tasks on the calling goroutine
// and offers helper jobs to a shared pool of long-lived goroutines; helpers
// take tasks from the same atomic counter. A helper that is picked up only
// after the caller has finished the phase does nothing, so a busy pool
// delays no call: the caller never waits for a helper that has not started.
//
// Nothing here allocates per call: a call context (scratch buffers, counters,
// the wake-up channel) is reused through the plan's free list, and jobs are
// passed by value.

// call is the context of one Forward call in flight.
type call struct {
	plan *Plan
	vin  []float32   // virtual input shared by the call's workers
	work [][]float32 // per-worker scratch

	dst, src []float32 // operands of the call in flight
	vinUse   []float32 // vin, or src when the kernels read it in place
	phase    int       // phasePrep or phaseRun
	tasks    int
	next     atomic.Int64
	// state packs the phase generation (high 32 bits), a closed flag (bit
	// 31), a sleeping flag (bit 30: the caller waits on done) and the number
	// of helpers working on the phase (low bits).
	state atomic.Uint64
	done  chan struct{} // the last helper signals a sleeping caller here
}

const (
	phasePrep = iota
	phaseRun
	closedBit   = 1 << 31
	sleepingBit = 1 << 30
	countMask   = sleepingBit - 1
	// spinRounds is how often a caller whose phase is finished but for
	// helpers still on their last task yields before it sleeps: tasks take
	// microseconds, and a goroutine that blocks may make the runtime
	// allocate.
	spinRounds = 64
)

func newCall(p *Plan) *call {
	c := &call{plan: p, done: make(chan struct{}, 1)}
	c.vin = make([]float32, p.prog.VinLen())
	c.work = make([][]float32, p.workers)
	for i := range c.work {
		c.work[i] = make([]float32, p.prog.WorkLen())
	}
	return c
}

func (c *call) run(dst, src []float32) {
	prog := c.plan.prog
	c.dst, c.src, c.vinUse = dst, src, src
	if n := prog.PrepTasks(); n > 0 {
		c.vinUse = c.vin
		c.parallel(phasePrep, n)
	}
	c.parallel(phaseRun, prog.Tasks())
	c.dst, c.src, c.vinUse = nil, nil, nil
}

// parallel runs tasks [0, n) of one phase on this goroutine and on up to
// workersFor(n)-1 helpers.
func (c *call) parallel(phase, n int) {
	c.phase, c.tasks = phase, n
	c.next.Store(0)
	gen := uint32(c.state.Load()>>32) + 1
	c.state.Store(uint64(gen) << 32)
	for i := 1; i < c.plan.workersFor(n); i++ {
		if !pool.offer(job{c: c, gen: gen, worker: i}) {
			break
		}
	}
	c.work0()
	// Close the phase, so that helpers arriving late do nothing, then wait
	// for those that joined it: yield a while, then sleep.
	for {
		s := c.state.Load()
		if c.state.CompareAndSwap(s, s|closedBit) {
			break
		}
	}
	for i := 0; ; i++ {
		s := c.state.Load()
		if s&countMask == 0 {
			return
		}
		if i < spinRounds {
			runtime.Gosched()
			continue
		}
		if c.state.CompareAndSwap(s, s|sleepingBit) {
			<-c.done
			return
		}
	}
}

func (c *call) work0() { c.do(0) }

// do takes tasks until none is left.
func (c *call) do(worker int) {
	prog := c.plan.prog
	for {
		t := int(c.next.Add(1)) - 1
		if t >= c.tasks {
			return
		}
		if c.phase == phasePrep {
			prog.Prep(t, c.vin, c.src)
		} else {
			prog.Run(t, c.dst, c.vinUse, c.work[worker])
		}
	}
}

// help is run by a pool goroutine for a job: it joins the phase if the phase
// is still the job's and open.
func (c *call) help(gen uint32, worker int) {
	for {
		s := c.state.Load()
		if uint32(s>>32) != gen || s&closedBit != 0 { // another phase, or this one is over
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
		go func() {
			for j := range w.jobs {
				j.c.help(j.gen, j.worker)
			}
		}()
	}
	poolStarted.Store(int32(w.started))
}
