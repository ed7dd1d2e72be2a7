set terminal pngcairo size 1400,900 font ',11'
set output 'bomb-latency.png'
set multiplot layout 2,2 title "Probe latency while a fork bomb runs in another cgroup\nblack dashed: bomb starts; red: cgroup.kill; green dotted: bomb cgroup empty"
set logscale y
set yrange [0.05:5000]
set xlabel 'seconds since the bomb started'
set ylabel 'milliseconds'
set grid
set key top left
set xrange [-1.2:7.7]
set title 'no limit'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 4.005, graph 0 to 4.005, graph 1 nohead lc rgb 'red' lw 2
set arrow from 6.394, graph 0 to 6.394, graph 1 nohead lc rgb 'dark-green' dt 3
plot "< grep ' sleep ' 'bomb/probe-none.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0' title '10 ms sleep: overshoot', "< grep ' spawn [0-9]' 'bomb/probe-none.log'" using 1:3 with points pt 7 ps 0.8 lc rgb '#d07000' title 'fork+exec /bin/true', "< grep ' spawn fail' 'bomb/probe-none.log' || echo '-100 spawn fail'" using 1:(3000) with points pt 2 ps 1.2 lc rgb 'red' title 'fork failed'
set title 'pids.max alone'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 4.030, graph 0 to 4.030, graph 1 nohead lc rgb 'red' lw 2
set arrow from 4.838, graph 0 to 4.838, graph 1 nohead lc rgb 'dark-green' dt 3
plot "< grep ' sleep ' 'bomb/probe-pids.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0' title '10 ms sleep: overshoot', "< grep ' spawn [0-9]' 'bomb/probe-pids.log'" using 1:3 with points pt 7 ps 0.8 lc rgb '#d07000' title 'fork+exec /bin/true', "< grep ' spawn fail' 'bomb/probe-pids.log' || echo '-100 spawn fail'" using 1:(3000) with points pt 2 ps 1.2 lc rgb 'red' title 'fork failed'
set title 'forkgov deny'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 4.021, graph 0 to 4.021, graph 1 nohead lc rgb 'red' lw 2
set arrow from 4.840, graph 0 to 4.840, graph 1 nohead lc rgb 'dark-green' dt 3
plot "< grep ' sleep ' 'bomb/probe-deny.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0' title '10 ms sleep: overshoot', "< grep ' spawn [0-9]' 'bomb/probe-deny.log'" using 1:3 with points pt 7 ps 0.8 lc rgb '#d07000' title 'fork+exec /bin/true', "< grep ' spawn fail' 'bomb/probe-deny.log' || echo '-100 spawn fail'" using 1:(3000) with points pt 2 ps 1.2 lc rgb 'red' title 'fork failed'
set title 'forkgov throttle'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 4.009, graph 0 to 4.009, graph 1 nohead lc rgb 'red' lw 2
set arrow from 4.783, graph 0 to 4.783, graph 1 nohead lc rgb 'dark-green' dt 3
plot "< grep ' sleep ' 'bomb/probe-throttle.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0' title '10 ms sleep: overshoot', "< grep ' spawn [0-9]' 'bomb/probe-throttle.log'" using 1:3 with points pt 7 ps 0.8 lc rgb '#d07000' title 'fork+exec /bin/true', "< grep ' spawn fail' 'bomb/probe-throttle.log' || echo '-100 spawn fail'" using 1:(3000) with points pt 2 ps 1.2 lc rgb 'red' title 'fork failed'
unset multiplot
